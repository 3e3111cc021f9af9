using System.Net;

namespace Sinew.EndToEnd.Tests;

/// <summary>A full disk: Sinew never acknowledges what it could not store, stays up, and recovers when space returns.</summary>
public sealed class StorageFaultTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private SmallDisk? _disk;

    [Fact]
    public async Task DiskFull_HttpIntake_Answers503NeverAccepts_StaysUp_AndRecoversWhenSpaceReturns()
    {
        _disk = SmallDisk.TryMount(_folder.Combine("small-disk"), "1m");
        Assert.SkipWhen(_disk is null, SmallDisk.NeedsRoot);
        var mount = _disk!.Path;
        _folder.Write("config/channels/full.yaml", "name: full\nsource: {type: http}\ndestinations: [{name: out, type: file, maxSensitivity: phi, path: out}]\n");
        await using var sinew = await SinewProcess.StartAsync(_folder.Combine("config"), mount);
        var accepted = new List<long>();
        var refused = 0;
        var body = new byte[16 * 1024];
        Random.Shared.NextBytes(body);

        for (var i = 0; i < 200 && refused < 5; i++)
        {
            using var response = await sinew.Http.PostAsync("in/full", new ByteArrayContent(body), TestContext.Current.CancellationToken);
            if (response.StatusCode == HttpStatusCode.Accepted)
            {
                accepted.Add(System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement.GetProperty("messageId").GetInt64());
            }
            else
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
                Assert.True(response.Headers.RetryAfter is not null);
                Assert.Contains("could not be stored", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
                refused++;
            }
        }
        Assert.True(refused > 0, "the 1 MB disk never filled up");
        using (var live = await sinew.Http.GetAsync("health/live", TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        }
        if (sinew.Output.Contains("moving them into the inbox fails", StringComparison.Ordinal))
        {
            // The usual way a full disk shows (the intake log's segments are written in advance, the inbox table grows): the
            // move of acknowledged messages into the table fails, and a load balancer is told to send elsewhere, and why.
            using var ready = await sinew.Http.GetAsync("health/ready", TestContext.Current.CancellationToken);
            var text = await ready.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            Assert.True(ready.StatusCode == HttpStatusCode.ServiceUnavailable, "ready while moves fail: " + text);
            Assert.Contains("cannot move acknowledged messages", text, StringComparison.Ordinal);
        }

        _disk.Resize("64m");
        HttpStatusCode status = default;
        for (var i = 0; i < 50 && status != HttpStatusCode.Accepted; i++)
        {
            using var response = await sinew.Http.PostAsync("in/full", new ByteArrayContent(body), TestContext.Current.CancellationToken);
            status = response.StatusCode;
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
        Assert.Equal(HttpStatusCode.Accepted, status);
        using (var ready = await sinew.Http.GetAsync("health/ready", TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }

        foreach (var id in accepted)
        {
            using var message = await sinew.Http.GetAsync($"api/v1/messages/{id}", TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, message.StatusCode);
        }
    }

    public void Dispose()
    {
        _disk?.Dispose();
        _folder.Dispose();
    }
}
