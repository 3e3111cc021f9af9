using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Sinew.Mllp;

namespace Sinew.EndToEnd.Tests;

/// <summary>
/// Enhanced acknowledgement mode between two Sinew channels: a message whose MSH-15 is NE asks the receiver for no
/// accept ACK, and Sinew's MLLP source honours that (see the corpus conformance test), so Sinew's MLLP destination
/// must not wait for one either.
/// </summary>
public sealed class MllpEnhancedModeTests : IDisposable
{
    private readonly TempFolder _folder = new();

    [Fact]
    public async Task Forward_MessageThatAsksForNoAcceptAck_ToASinewReceiver_IsDeliveredOnceAndRecordedDelivered()
    {
        var ct = TestContext.Current.CancellationToken;
        var receiverPort = Ports.Free();
        _folder.Write("config/channels/receiver.yaml", MllpScenario.MllpToFile("receiver").Replace("127.0.0.1:0", $"127.0.0.1:{receiverPort}", StringComparison.Ordinal));
        _folder.Write("config/channels/forwarder.yaml", $"""
            name: forwarder
            source:
              type: mllp
              listen: 127.0.0.1:0
              validate: false
            destinations:
              - name: downstream
                type: mllp
                maxSensitivity: phi
                to: 127.0.0.1:{receiverPort}
                responseTimeout: 2s
                retry:
                  maxAttempts: 3
                  initialDelay: 100ms
                  maxDelay: 500ms
            """);
        await using var sinew = await SinewProcess.StartAsync(_folder.Combine("config"), _folder.Combine("data"));
        var message = Encoding.ASCII.GetBytes("MSH|^~\\&|LAB|HOSP|EHR|HOSP|20261125080000||ORU^R01|NE-0001|P|2.5.1|||NE|NE\rPID|1||X\r");

        // The forwarder's own source honours NE as well: no answer to us, and that is right.
        await using (var client = new MllpClient(new MllpClientOptions { Host = "127.0.0.1", Port = MllpScenario.PortOf(sinew, "forwarder"), ResponseTimeout = TimeSpan.FromSeconds(1) }))
        {
            await Assert.ThrowsAsync<TimeoutException>(() => client.SendAsync(message, ct));
        }

        var delivered = await MllpScenario.WaitForDeliveredAsync(_folder.Combine("data", "out", "receiver"), 1, TimeSpan.FromSeconds(20));
        Assert.Equal(message, await File.ReadAllBytesAsync(Assert.Single(delivered), ct));
        JsonElement queue = default;
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            var queues = await sinew.Http.GetFromJsonAsync<JsonElement>("api/v1/queues", ct);
            queue = queues.EnumerateArray().Single(q => q.GetProperty("channel").GetString() == "forwarder");
            if (queue.GetProperty("delivered").GetInt64() + queue.GetProperty("deadLetters").GetInt64() > 0)
            {
                break;
            }
            await Task.Delay(200, ct);
        }
        Assert.Equal(1, queue.GetProperty("delivered").GetInt64());
        Assert.Equal(0, queue.GetProperty("deadLetters").GetInt64());
    }

    public void Dispose() => _folder.Dispose();
}
