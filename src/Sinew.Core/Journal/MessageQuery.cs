namespace Sinew.Core.Journal;

/// <summary>A search over the inbox, newest first, paged by cursor.</summary>
public sealed record MessageQuery
{
    public const int MaxLimit = 1000;

    public string? Channel { get; init; }
    public MessageStatus? Status { get; init; }
    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }

    /// <summary>The start of the control id (MSH-10, Idempotency-Key, ...), or <c>*text</c> for text anywhere in it (slower: a scan).</summary>
    public string? ControlId { get; init; }

    /// <summary>Page size, 1 to <see cref="MaxLimit"/>.</summary>
    public int Limit { get; init; } = 50;

    /// <summary>Return messages older than this id (the <see cref="MessagePage.NextCursor"/> of the previous page).</summary>
    public long? Cursor { get; init; }
}
