namespace Sinew.Cli.Commands;

/// <summary>The registry of file formats the <c>check</c> and <c>roundtrip</c> commands detect by content.</summary>
internal static class FileFormats
{
    /// <summary>Every known format, tried in order.</summary>
    public static IReadOnlyList<IFileFormatHandler> All { get; } = [new Hl7FileFormat(), new X12FileFormat()];

    public static IFileFormatHandler? Detect(string path)
    {
        Span<byte> head = stackalloc byte[4096];
        int read;
        using (var stream = File.OpenRead(path))
        {
            read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }
        foreach (var handler in All)
        {
            if (handler.CanHandle(head[..read]))
            {
                return handler;
            }
        }
        return null;
    }
}
