using Sinew.X12;

namespace Sinew.Cli.Commands;

/// <summary>
/// X12 interchanges for <c>sinew check</c> and <c>sinew roundtrip</c>: detected by an ISA at the start (after a BOM or blank lines).
/// Extra schema files are taken from the directory named by <c>SINEW_X12_SCHEMAS</c>, if set.
/// </summary>
internal sealed class X12FileFormat : IFileFormatHandler
{
    /// <summary>Environment variable naming a directory of extra X12 schema files (*.yaml).</summary>
    public const string SchemasVariable = "SINEW_X12_SCHEMAS";

    /// <summary>Validation options with the built-in schemas plus those of <paramref name="directory"/> (or of <see cref="SchemasVariable"/>).</summary>
    public static X12ValidationOptions Options(string? directory = null)
    {
        directory ??= Environment.GetEnvironmentVariable(SchemasVariable);
        return string.IsNullOrEmpty(directory)
            ? new X12ValidationOptions()
            : new X12ValidationOptions { Schemas = X12SchemaSet.BuiltIn.WithDirectory(directory) };
    }

    public string Name => "X12";

    public bool CanHandle(ReadOnlySpan<byte> head) => X12Reader.LooksLikeX12(head);

    public int Check(string path, TextWriter output)
    {
        X12ValidationResult result;
        try
        {
            var options = Options();
            using var stream = File.OpenRead(path);
            result = new X12Validator(options).Validate(stream);
        }
        catch (X12SchemaException ex)
        {
            output.WriteLine($"{path}: cannot load X12 schemas from ${SchemasVariable}: {ex.Message}");
            return 2;
        }
        foreach (var issue in result.Issues)
        {
            output.WriteLine($"{path}: {issue}");
        }
        if (result.IssuesNotRetained > 0)
        {
            output.WriteLine($"{path}: … {result.IssuesNotRetained} more issues not shown");
        }
        foreach (var interchange in result.Interchanges)
        {
            output.WriteLine($"{path}: interchange {interchange.ControlNumber}: TA1 {X12AckWriter.Ta1Verdict(interchange)}");
            foreach (var group in interchange.Groups)
            {
                output.WriteLine($"{path}:   group {group.FunctionalIdCode} {group.ControlNumber} ({group.Version}): AK9 {Letter(group.AckCode)}, {group.SetsAccepted} of {group.SetsReceived} sets accepted");
            }
        }
        output.WriteLine($"{path}: X12, {result.SegmentCount} segments, {result.ErrorCount} errors — {(result.HasErrors ? "INVALID" : "valid")}");
        return result.HasErrors ? 1 : 0;
    }

    public int Roundtrip(string path, TextWriter output)
    {
        using var original = File.OpenRead(path);
        using var input = File.OpenRead(path);
        using var compare = new ComparingStream(original);
        var segments = X12Roundtrip.Copy(input, compare);
        var difference = compare.FirstDifference ?? (original.ReadByte() >= 0 ? compare.Written : -1);
        if (difference < 0)
        {
            output.WriteLine($"{path}: X12, {segments} segments, {compare.Written} bytes — identical");
            return 0;
        }
        output.WriteLine($"{path}: X12 — re-serialized bytes differ from byte {difference}");
        return 1;
    }

    private static string Letter(X12AckCode code) => code switch
    {
        X12AckCode.Accepted => "A",
        X12AckCode.AcceptedWithErrors => "E",
        X12AckCode.PartiallyAccepted => "P",
        _ => "R",
    };

    /// <summary>A write-only stream that compares what is written with the original file, so a 1 GB round-trip needs no second copy.</summary>
    private sealed class ComparingStream(Stream original) : Stream
    {
        private readonly byte[] _buffer = new byte[1 << 16];

        public long? FirstDifference { get; private set; }

        public long Written { get; private set; }

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => Written;
        public override long Position { get => Written; set => throw new NotSupportedException(); }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            while (!buffer.IsEmpty)
            {
                var n = Math.Min(buffer.Length, _buffer.Length);
                var read = original.ReadAtLeast(_buffer.AsSpan(0, n), n, throwOnEndOfStream: false);
                if (FirstDifference is null)
                {
                    var common = buffer[..read].CommonPrefixLength(_buffer.AsSpan(0, read));
                    if (common < n)
                    {
                        FirstDifference = Written + common;
                    }
                }
                Written += n;
                buffer = buffer[n..];
            }
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));
        public override void WriteByte(byte value) => Write([value]);
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
