using System.Collections.Concurrent;
using System.Net;
using Sinew.Reliability.Tests.Support;

namespace Sinew.Reliability.Tests.Storage;

/// <summary>
/// A torn write: the data folder is copied file by file while Sinew writes under load (as a naive backup or a crash of
/// the machine mid-write leaves it). A fresh Sinew opens the copy cleanly, and every message acknowledged before the
/// copy began is in it.
/// </summary>
public sealed class TornCopyTests : IDisposable
{
    private readonly TempFolder _folder = new();

    [Fact]
    public async Task DataFolderCopiedUnderLoad_OpensCleanly_WithEveryMessageAcknowledgedBeforeTheCopy()
    {
        _folder.Write("config/channels/torn.yaml", "name: torn\nsource: {type: http}\npartitionKey: header:X-Partition-Key\ndestinations: [{name: out, type: file, maxSensitivity: phi, path: out}]\n");
        var data = _folder.Combine("data");
        var acknowledged = new ConcurrentDictionary<long, DateTime>();
        using var stop = new CancellationTokenSource();
        await using (var sinew = await SinewProcess.StartAsync(_folder.Combine("config"), data))
        {
            var senders = Enumerable.Range(0, 8).Select(lane => Task.Run(async () =>
            {
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    try
                    {
                        acknowledged[await sinew.PostAsync("torn", $"lane{lane}-{i}", partition: $"l{lane}")] = DateTime.UtcNow;
                    }
                    catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or TaskCanceledException)
                    {
                    }
                }
            })).ToList();
            await Admin.EventuallyAsync(() => acknowledged.Count > 500, TimeSpan.FromSeconds(30));

            var copyStarted = DateTime.UtcNow;
            var before = acknowledged.Where(a => a.Value < copyStarted).Select(a => a.Key).ToList();
            var copied = CopyWhileWritten(data, _folder.Combine("copy"));
            await stop.CancelAsync();
            await Task.WhenAll(senders);

            await using var copy = await SinewProcess.StartAsync(_folder.Combine("config"), _folder.Combine("copy"));
            var missing = new List<long>();
            foreach (var id in before)
            {
                using var message = await copy.Http.GetAsync($"api/v1/messages/{id}", TestContext.Current.CancellationToken);
                if (message.StatusCode != HttpStatusCode.OK)
                {
                    missing.Add(id);
                }
            }
            using var live = await copy.Http.GetAsync("health/ready", TestContext.Current.CancellationToken);
            Figures.Report("torn-copy", $"data folder copied file by file ({copied} files) while 8 senders wrote: {before.Count} messages acknowledged before the copy, {missing.Count} missing in the copy, copy opened {(live.StatusCode == HttpStatusCode.OK ? "ready" : "NOT ready")}, {acknowledged.Count} acknowledged in all");
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
            Assert.Empty(missing);
            Assert.Equal(0, await copy.StopAsync());
        }
    }

    /// <summary>
    /// Copies a folder file by file while it changes, as a naive backup does. Files that vanish meanwhile are skipped, and so
    /// is a file another process holds locked for writing (a file destination's in-flight <c>.tmp</c>, which .NET locks
    /// exclusively): a backup tool that honors locks skips it too, and it holds no acknowledged message.
    /// </summary>
    private static int CopyWhileWritten(string from, string to)
    {
        var copied = 0;
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            try
            {
                File.Copy(file, target);
                copied++;
            }
            catch (FileNotFoundException)
            {
            }
            catch (IOException) when (Path.GetFileName(file).EndsWith(".tmp", StringComparison.Ordinal))
            {
            }
        }
        return copied;
    }

    public void Dispose() => _folder.Dispose();
}
