using System.Globalization;
using Sinew.Core.Journal;

namespace Sinew.Host.Admin;

/// <summary>Turns search parameters (from a URL or the CLI) into a <see cref="MessageQuery"/>, or says which one is wrong.</summary>
public static class MessageQueryParser
{
    public static MessageQuery Parse(string? channel, string? status, string? from, string? to, string? controlId, string? limit, string? cursor, out string? error)
    {
        error = null;
        var query = new MessageQuery { Channel = Blank(channel), ControlId = Blank(controlId) };
        if (Blank(status) is { } statusText)
        {
            if (Enum.TryParse<MessageStatus>(statusText, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(statusText, out _))
            {
                query = query with { Status = parsed };
            }
            else
            {
                error = $"status '{statusText}' is not one of: received, processed, filtered, failed, rejected, discarded";
            }
        }
        if (Blank(from) is { } fromText)
        {
            if (DateTimeOffset.TryParse(fromText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            {
                query = query with { From = parsed };
            }
            else
            {
                error = $"from '{fromText}' is not a date and time (ISO 8601, e.g. 2026-11-25T08:00:00Z)";
            }
        }
        if (Blank(to) is { } toText)
        {
            if (DateTimeOffset.TryParse(toText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            {
                query = query with { To = parsed };
            }
            else
            {
                error = $"to '{toText}' is not a date and time (ISO 8601, e.g. 2026-11-25T18:00:00Z)";
            }
        }
        if (Blank(limit) is { } limitText)
        {
            if (int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed is >= 1 and <= MessageQuery.MaxLimit)
            {
                query = query with { Limit = parsed };
            }
            else
            {
                error = $"limit '{limitText}' must be a whole number from 1 to {MessageQuery.MaxLimit}";
            }
        }
        if (Blank(cursor) is { } cursorText)
        {
            if (long.TryParse(cursorText, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                query = query with { Cursor = parsed };
            }
            else
            {
                error = $"cursor '{cursorText}' is not a cursor from a previous page";
            }
        }
        if (query.ControlId is { Length: > 200 })
        {
            error = "controlId must be at most 200 characters";
        }
        return query;
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
