namespace Sinew.Core.Journal;

/// <summary>One page of a message search; <see cref="NextCursor"/> is null on the last page.</summary>
public sealed record MessagePage(IReadOnlyList<StoredMessage> Items, long? NextCursor);
