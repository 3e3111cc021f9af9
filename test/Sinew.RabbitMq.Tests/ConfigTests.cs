namespace Sinew.RabbitMq.Tests;

/// <summary>What <c>sinew validate</c> says about a <c>rabbitmq</c> destination's settings (no broker needed).</summary>
public sealed class ConfigTests : IDisposable
{
    private readonly TempFolder _folder = new();

    [Fact]
    public async Task Validate_PasswordInTheUri_IsRefusedWithoutEchoingIt()
    {
        Write("uri: amqp://sinew:hunter2-in-uri@127.0.0.1:5672/%2f\n    exchange: sinew.events");

        var (exit, output, error) = await SinewProcess.RunCliAsync("validate", "--config", _folder.Path);

        Assert.Equal(1, exit);
        Assert.Contains("destinations[0].uri: must not contain a password", error, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", output + error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_LiteralPassword_IsRefused()
    {
        Write("uri: amqp://sinew@127.0.0.1:5672/%2f\n    password: hunter2-literal\n    exchange: sinew.events");

        var (exit, output, error) = await SinewProcess.RunCliAsync("validate", "--config", _folder.Path);

        Assert.Equal(1, exit);
        Assert.Contains("destinations[0].password: a secret must be a reference", error, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", output + error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_CompleteDestination_Passes()
    {
        _folder.Write("secret", "x");
        Write($"uri: amqp://sinew@127.0.0.1:5672/%2f\n    password: file:{_folder.Combine("secret")}\n    exchange: sinew.events\n    routingKey: inventory.consumption\n    eventType: org.sinew.inventory-consumption.v1\n    source: /sinew/supply-consumption\n    declare: false\n    confirmTimeout: 10s");

        var (exit, output, error) = await SinewProcess.RunCliAsync("validate", "--config", _folder.Path);

        Assert.True(exit == 0, error);
        Assert.Contains("OK: 1 channel(s)", output, StringComparison.Ordinal);
    }

    private void Write(string settings) => _folder.Write("channels/events.yaml", $"""
        name: events
        source:
          type: http
        destinations:
          - name: events
            type: rabbitmq
            maxSensitivity: phi
            {settings}
        """);

    public void Dispose() => _folder.Dispose();
}
