namespace Sinew.X12.Tests;

public sealed class AsyncTests
{
    /// <summary>A stream whose synchronous Read fails, to prove the async path never blocks on I/O.</summary>
    private sealed class AsyncOnlyStream(byte[] bytes, int chunk) : Stream
    {
        private readonly TrickleStream _inner = new(bytes, chunk);

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => bytes.Length;
        public override long Position { get => _inner.Position; set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new InvalidOperationException("synchronous read");
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            var array = new byte[buffer.Length];
            var n = _inner.Read(array, 0, array.Length);
            array.AsSpan(0, n).CopyTo(buffer.Span);
            return n;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(13)]
    [InlineData(4096)]
    public async Task ValidateAsync_StreamWithoutSyncReads_GivesTheSameIssuesAsSync(int chunk)
    {
        var text = Fixtures.Po850().Replace("~", "~\r\n") + "junk\n" + Fixtures.Po850().Replace("000000001", "000000002").Replace("SE*11", "SE*12");
        var bytes = Fixtures.Bytes(text);
        var expected = new X12Validator().Validate(bytes);
        var actual = await new X12Validator().ValidateAsync(new AsyncOnlyStream(bytes, chunk), TestContext.Current.CancellationToken);
        Assert.Equal(expected.Issues.Select(i => i.ToString()), actual.Issues.Select(i => i.ToString()));
        Assert.Equal(expected.SegmentCount, actual.SegmentCount);
    }

    [Fact]
    public async Task ValidateAsync_CorpusFiles_MatchSyncValidation()
    {
        Corpus.SkipWhenAbsent();
        foreach (var path in Directory.EnumerateFiles(Corpus.X12, "*", SearchOption.AllDirectories))
        {
            var bytes = File.ReadAllBytes(path);
            var expected = new X12Validator().Validate(bytes);
            var actual = await new X12Validator().ValidateAsync(new AsyncOnlyStream(bytes, 97), TestContext.Current.CancellationToken);
            Assert.Equal(expected.Issues.Select(i => i.ToString()), actual.Issues.Select(i => i.ToString()));
        }
    }

    [Fact]
    public async Task ValidateAsync_Cancelled_Throws()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            await new X12Validator().ValidateAsync(new AsyncOnlyStream(Fixtures.Bytes(Fixtures.Po850()), 10), cts.Token));
    }
}
