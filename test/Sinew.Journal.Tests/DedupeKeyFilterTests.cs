using Sinew.Journal.Sqlite.Intake;

namespace Sinew.Journal.Tests;

public sealed class DedupeKeyFilterTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static IEnumerable<(string, string)> Keys(int from, int count) =>
        Enumerable.Range(from, count).Select(i => ("c1", "mllp:LAB|HOSP|" + i));

    [Fact]
    public void BeforeItIsBuilt_EveryAnswerIsMaybe()
    {
        var filter = new DedupeKeyFilter();
        filter.Add("c1", "k1");

        Assert.False(filter.IsReady);
        Assert.True(filter.MightContain("c1", "never added"));
    }

    [Fact]
    public void Built_KnowsEveryKey_AndSaysNoToNearlyAllOthers()
    {
        var filter = new DedupeKeyFilter(minKeys: 10_000);
        filter.Build(10_000, () => Keys(0, 10_000), None);

        Assert.True(filter.IsReady);
        Assert.All(Keys(0, 10_000), k => Assert.True(filter.MightContain(k.Item1, k.Item2)));
        var falsePositives = Keys(10_000, 10_000).Count(k => filter.MightContain(k.Item1, k.Item2));
        Assert.True(falsePositives < 100, $"{falsePositives} false positives in 10,000"); // expected ~2 at half load
        Assert.False(filter.MightContain("c2", "mllp:LAB|HOSP|1")); // the channel is part of the key
    }

    [Fact]
    public void KeysAddedWhileItIsBuilt_AreInTheBuiltFilter()
    {
        var filter = new DedupeKeyFilter(minKeys: 100);
        IEnumerable<(string, string)> TableWithACommitDuringTheRead()
        {
            yield return ("c1", "in the table");
            filter.Add("c1", "committed during the read");
            yield return ("c1", "also in the table");
        }

        filter.Build(2, TableWithACommitDuringTheRead, None);

        Assert.True(filter.MightContain("c1", "committed during the read"));
        Assert.True(filter.MightContain("c1", "in the table"));
        Assert.Equal(3, filter.Count);
    }

    [Fact]
    public void Full_AnswersMaybe_UntilABiggerOneIsBuilt()
    {
        var filter = new DedupeKeyFilter(minKeys: 4);
        filter.Build(0, () => [], None);
        var table = new List<(string, string)>();
        var full = false;
        for (var i = 0; i < 5; i++)
        {
            table.Add(("c1", "k" + i));
            full = filter.Add("c1", "k" + i);
        }

        Assert.True(full); // the fifth key: the caller is told to rebuild
        Assert.False(filter.IsReady);
        Assert.True(filter.MightContain("c1", "anything"));
        Assert.False(filter.Add("c1", "k5")); // only one caller is told
        table.Add(("c1", "k5"));

        filter.Build(table.Count, () => table, None);
        Assert.True(filter.IsReady);
        Assert.All(table, k => Assert.True(filter.MightContain(k.Item1, k.Item2)));
    }

    [Fact]
    public void ABuildThatIsCancelled_LeavesEveryAnswerMaybe_AndAnotherBuildCanRun()
    {
        var filter = new DedupeKeyFilter(minKeys: 4);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.Throws<OperationCanceledException>(() => filter.Build(1, () => [("c1", "k")], cancelled.Token));
        Assert.False(filter.IsReady);

        filter.Build(1, () => [("c1", "k")], None);
        Assert.True(filter.IsReady);
    }
}
