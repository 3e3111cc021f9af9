using Microsoft.Extensions.Logging.Abstractions;
using Sinew.Core.Journal;
using Sinew.Engine.Sources;

namespace Sinew.Engine.Tests;

public sealed class FileSourceTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly RecordingIntake _intake = new();

    private FileSource Source(long maxBytes = 1024) => new(new FileSourceOptions
    {
        Channel = "files",
        Folder = _folder.Path,
        Settle = TimeSpan.Zero,
        MaxBytes = maxBytes,
    }, NullLogger.Instance);

    [Fact]
    public async Task Poll_FileStillGrowing_IsLeftUntilItStaysTheSame()
    {
        var source = Source();
        var path = _folder.Write("a.hl7", "MSH|part");

        await source.PollOnceAsync(_intake, CancellationToken.None);
        await File.AppendAllTextAsync(path, "|more", TestContext.Current.CancellationToken);
        await source.PollOnceAsync(_intake, CancellationToken.None);
        Assert.Empty(_intake.Messages);

        await source.PollOnceAsync(_intake, CancellationToken.None);
        var message = Assert.Single(_intake.Messages);
        Assert.Equal("MSH|part|more"u8.ToArray(), message.Body.ToArray());
        Assert.Equal("application/hl7-v2", message.ContentType);
        Assert.False(File.Exists(path));
        Assert.True(File.Exists(_folder.Combine("done", "1-a.hl7")));
    }

    [Fact]
    public async Task Poll_TemporaryNames_AreIgnored()
    {
        var source = Source();
        _folder.Write("b.hl7.part", "x");
        _folder.Write(".c.hl7", "x");
        _folder.Write("d.tmp", "x");

        await source.PollOnceAsync(_intake, CancellationToken.None);
        await source.PollOnceAsync(_intake, CancellationToken.None);

        Assert.Empty(_intake.Messages);
    }

    [Fact]
    public async Task Poll_OversizedAndEmptyFiles_GoToErrorWithAReason()
    {
        var source = Source(maxBytes: 4);
        _folder.Write("big.txt", "123456789");
        _folder.Write("empty.txt", "");

        await source.PollOnceAsync(_intake, CancellationToken.None);
        await source.PollOnceAsync(_intake, CancellationToken.None);

        Assert.Empty(_intake.Messages);
        var reasons = Directory.GetFiles(_folder.Combine("error"), "*.reason.txt").Select(File.ReadAllText).ToList();
        Assert.Contains(reasons, r => r.Contains("over the limit of 4", StringComparison.Ordinal));
        Assert.Contains(reasons, r => r.Contains("empty", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Poll_JournalUnavailable_LeavesTheFileInPlace()
    {
        var source = Source();
        var path = _folder.Write("a.txt", "data");
        _intake.Fail = true;

        await source.PollOnceAsync(_intake, CancellationToken.None);
        await source.PollOnceAsync(_intake, CancellationToken.None);

        Assert.True(File.Exists(path));
        Assert.False(Directory.Exists(_folder.Combine("done")));
    }

    [Fact]
    public async Task Poll_SameFileDroppedTwice_CarriesTheSameDedupeKey()
    {
        var source = Source();
        _folder.Write("a.txt", "same");
        await source.PollOnceAsync(_intake, CancellationToken.None);
        await source.PollOnceAsync(_intake, CancellationToken.None);
        _folder.Write("a.txt", "same");
        await source.PollOnceAsync(_intake, CancellationToken.None);
        await source.PollOnceAsync(_intake, CancellationToken.None);

        Assert.Equal(2, _intake.Messages.Count);
        Assert.Equal(_intake.Messages[0].DedupeKey, _intake.Messages[1].DedupeKey);
    }

    [Fact]
    public async Task Poll_UnreadableFile_IsLeftInPlaceAndTheOthersStillFlow()
    {
        var source = Source();
        var broken = _folder.Combine("a-broken.hl7");
        File.CreateSymbolicLink(broken, "/nonexistent/target.hl7");
        _folder.Write("b-good.hl7", "MSH|ok");

        await source.PollOnceAsync(_intake, CancellationToken.None);
        await source.PollOnceAsync(_intake, CancellationToken.None);

        Assert.Equal("MSH|ok"u8.ToArray(), Assert.Single(_intake.Messages).Body.ToArray());
        Assert.True(File.Exists(broken) || new FileInfo(broken).LinkTarget is not null);
    }

    public void Dispose() => _folder.Dispose();

    private sealed class RecordingIntake : IIntake
    {
        public List<InboundMessage> Messages { get; } = [];

        public bool Fail { get; set; }

        public ValueTask<AppendResult> SubmitAsync(InboundMessage message, CancellationToken cancellationToken)
        {
            if (Fail)
            {
                throw new JournalUnavailableException("disk full", new IOException("No space left on device"));
            }
            Messages.Add(message);
            return ValueTask.FromResult(new AppendResult(Messages.Count, false, default));
        }
    }
}
