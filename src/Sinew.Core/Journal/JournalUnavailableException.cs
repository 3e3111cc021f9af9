namespace Sinew.Core.Journal;

/// <summary>The journal could not make a write durable (disk full, read-only, I/O error); the caller must not acknowledge.</summary>
public sealed class JournalUnavailableException(string message, Exception inner) : IOException(message, inner);
