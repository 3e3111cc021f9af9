using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;

namespace Sinew.Host.Dashboard;

/// <summary>Builds a page: the dashboard's markup as written, everything else (names, ids, message text, errors) encoded.</summary>
internal sealed class HtmlWriter
{
    private static readonly SearchValues<char> Special = SearchValues.Create("&<>\"'");

    public StringBuilder Builder { get; } = new(16 * 1024);

    /// <summary>Appends markup whose holes are encoded (see <see cref="HtmlInterpolation"/>).</summary>
    public HtmlWriter Add([InterpolatedStringHandlerArgument("")] HtmlInterpolation html)
    {
        _ = html;
        return this;
    }

    public HtmlContent ToContent() => new(Builder.ToString());

    public override string ToString() => Builder.ToString();

    /// <summary>Encodes for text and for quoted attribute values alike.</summary>
    public static void Encode(StringBuilder builder, ReadOnlySpan<char> text)
    {
        while (!text.IsEmpty)
        {
            var at = text.IndexOfAny(Special);
            if (at < 0)
            {
                builder.Append(text);
                return;
            }
            builder.Append(text[..at]);
            builder.Append(text[at] switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                _ => "&#39;",
            });
            text = text[(at + 1)..];
        }
    }

    public static void Encode(StringBuilder builder, string? text) => Encode(builder, text.AsSpan());
}
