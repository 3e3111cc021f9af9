using System.Text;
using System.Text.RegularExpressions;
using Sinew.Engine.Config;

namespace Sinew.Engine.Steps;

/// <summary>A test on the message text: <c>contains</c> (plain text) or <c>matches</c> (a regular expression, time-limited).</summary>
public sealed class TextCondition
{
    private readonly byte[]? _contains;
    private readonly Regex? _matches;

    private TextCondition(byte[]? contains, Regex? matches)
    {
        _contains = contains;
        _matches = matches;
    }

    /// <summary>Reads <c>contains</c> / <c>matches</c> from a step; null (with an error) when neither is there.</summary>
    public static TextCondition? Read(ConfigSection section)
    {
        var contains = section.GetString("contains");
        var matches = section.GetString("matches");
        if ((contains is null) == (matches is null))
        {
            section.Error("contains", "give exactly one of 'contains' or 'matches'");
            return null;
        }
        if (matches is not null)
        {
            try
            {
                return new TextCondition(null, new Regex(matches, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(250)));
            }
            catch (ArgumentException ex)
            {
                section.Error("matches", "not a valid regular expression: " + ex.Message);
                return null;
            }
        }
        return new TextCondition(Encoding.UTF8.GetBytes(contains!), null);
    }

    public bool IsMet(ReadOnlySpan<byte> body)
    {
        if (_contains is not null)
        {
            return body.IndexOf(_contains) >= 0;
        }
        try
        {
            return _matches!.IsMatch(Encoding.UTF8.GetString(body));
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }
}
