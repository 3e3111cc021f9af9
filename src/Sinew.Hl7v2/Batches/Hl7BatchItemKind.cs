namespace Sinew.Hl7v2;

/// <summary>What one piece of a batch file is: a message or one of the envelope segments around messages.</summary>
public enum Hl7BatchItemKind
{
    /// <summary>A message from MSH up to the next message or envelope segment.</summary>
    Message = 0,

    /// <summary>FHS, the file header.</summary>
    FileHeader = 1,

    /// <summary>BHS, a batch header.</summary>
    BatchHeader = 2,

    /// <summary>BTS, a batch trailer (BTS-1 counts messages).</summary>
    BatchTrailer = 3,

    /// <summary>FTS, the file trailer (FTS-1 counts batches).</summary>
    FileTrailer = 4,
}
