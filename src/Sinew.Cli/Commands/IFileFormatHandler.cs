namespace Sinew.Cli.Commands;

/// <summary>One message format the file commands (<c>check</c>, <c>roundtrip</c>) understand, chosen by content detection.</summary>
internal interface IFileFormatHandler
{
    /// <summary>Short name printed in reports, e.g. "HL7 v2" or "X12".</summary>
    string Name { get; }

    /// <summary>True when the first bytes of a file (up to 4 KiB, BOM included) look like this format.</summary>
    bool CanHandle(ReadOnlySpan<byte> head);

    /// <summary>Validates every message in the file, prints its issues, returns 0 when none has errors, 1 otherwise.</summary>
    int Check(string path, TextWriter output);

    /// <summary>Parses and re-serializes the file, prints whether the bytes are identical (and where they first differ), returns 0 or 1.</summary>
    int Roundtrip(string path, TextWriter output);
}
