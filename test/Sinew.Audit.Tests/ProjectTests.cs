namespace Sinew.Audit.Tests;

public sealed class ProjectTests
{
    [Fact]
    public void Assembly_Loads() => Assert.NotNull(typeof(ProjectTests).Assembly.GetName().Name);
}
