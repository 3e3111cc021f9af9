namespace Sinew.Core.Journal;

/// <summary>The outcome of a durable append: the message id, and whether it repeated an earlier message.</summary>
/// <param name="MessageId">The id of the stored message (the earlier one for a duplicate).</param>
/// <param name="IsDuplicate">True when the dedupe key was already known; nothing new was stored.</param>
/// <param name="Response">For a duplicate, the response stored with the first message.</param>
public readonly record struct AppendResult(long MessageId, bool IsDuplicate, ReadOnlyMemory<byte> Response);
