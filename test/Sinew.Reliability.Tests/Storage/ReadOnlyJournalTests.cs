using System.Net;
using Sinew.Reliability.Tests.Support;

namespace Sinew.Reliability.Tests.Storage;

/// <summary>
/// The journal's file system made read-only. Linux refuses to remount read-only a file system with files open for
/// writing (EBUSY), so under a running Sinew this cannot happen by a remount (the full-disk test covers writes that
/// fail at run time); what can happen is a restart on a file system that came back read-only after disk errors.
/// Sinew must then refuse to start with a clear error, not run without a journal, and start normally once it is
/// writable again with every earlier message there.
/// </summary>
public sealed class ReadOnlyJournalTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly string _mount;
    private bool _mounted;
    private string? _startError;

    public ReadOnlyJournalTests() => _mount = _folder.Combine("disk");

    [Fact]
    public async Task JournalOnReadOnlyFileSystem_StartRefusedWithClearError_AndStartsWithEveryMessageWhenWritable()
    {
        Directory.CreateDirectory(_mount);
        Assert.SkipWhen(!ChildProcess.IsRoot, "needs root to mount a tmpfs and remount it read-only (CI runs as root)");
        var (code, output) = Shell.Run("mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", _mount);
        Assert.SkipWhen(code != 0, "tmpfs mounts are not allowed here: " + output);
        _mounted = true;
        _folder.Write("config/channels/ro.yaml", "name: ro\nsource: {type: http}\ndestinations: [{name: out, type: file, maxSensitivity: phi, path: out}]\n");
        var accepted = new List<long>();
        await using (var sinew = await SinewProcess.StartAsync(_folder.Combine("config"), _mount))
        {
            for (var i = 0; i < 20; i++)
            {
                accepted.Add(await sinew.PostAsync("ro", $"before-{i}"));
            }
            var busy = Shell.Run("mount", "-o", "remount,ro", _mount);
            Figures.Report("storage-readonly", $"remount read-only under a running sinew: exit {busy.ExitCode} ({busy.Output.Trim()})");
            Assert.Equal(0, await sinew.StopAsync());
        }

        Assert.Equal(0, Shell.Run("mount", "-o", "remount,ro", _mount).ExitCode);
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => SinewProcess.StartAsync(_folder.Combine("config"), _mount));
        Figures.Report("storage-readonly", "start on a read-only journal: " + refused.Message.ReplaceLineEndings(" | "));
        Assert.Contains("exited before it was ready", refused.Message, StringComparison.Ordinal);
        _startError = refused.Message;

        Assert.Equal(0, Shell.Run("mount", "-o", "remount,rw", _mount).ExitCode);
        await using var again = await SinewProcess.StartAsync(_folder.Combine("config"), _mount);
        foreach (var id in accepted)
        {
            using var message = await again.Http.GetAsync($"api/v1/messages/{id}", TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, message.StatusCode);
        }
        Assert.Equal(20, (await again.CountsAsync("ro")).GetProperty("total").GetInt64());
        Assert.Equal(0, await again.StopAsync());
    }

    [Fact]
    public async Task Bug_JournalOnReadOnlyFileSystem_StartErrorNamesTheFileAndSaysReadOnly()
    {
        await JournalOnReadOnlyFileSystem_StartRefusedWithClearError_AndStartsWithEveryMessageWhenWritable();
        Assert.NotNull(_startError);
        Assert.DoesNotContain("Unhandled exception", _startError, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(_mount, "journal.db"), _startError, StringComparison.Ordinal);
        Assert.Matches("(?i)read-?only", _startError);
    }

    public void Dispose()
    {
        if (_mounted)
        {
            Shell.Run("umount", "-l", _mount);
        }
        _folder.Dispose();
    }
}
