using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace Sinew.Host.Dashboard;

/// <summary>
/// Lets pages write <c>html.Add($"&lt;td&gt;{message.ControlId}&lt;/td&gt;")</c>: the literal parts are the page's own
/// markup, every hole is HTML-encoded unless it is <see cref="HtmlContent"/>. Encoding is the default, as in Razor.
/// </summary>
[InterpolatedStringHandler]
internal readonly ref struct HtmlInterpolation
{
    private readonly StringBuilder _builder;

    public HtmlInterpolation(int literalLength, int formattedCount, HtmlWriter writer)
    {
        _ = formattedCount;
        _builder = writer.Builder;
        _builder.EnsureCapacity(_builder.Length + literalLength);
    }

    public void AppendLiteral(string value) => _builder.Append(value);

    public void AppendFormatted(HtmlContent value) => _builder.Append(value.Value);

    public void AppendFormatted(string? value) => HtmlWriter.Encode(_builder, value);

    public void AppendFormatted(long value) => _builder.Append(value.ToString(CultureInfo.InvariantCulture));

    public void AppendFormatted(int value) => _builder.Append(value.ToString(CultureInfo.InvariantCulture));

    public void AppendFormatted(double value, string? format = null) => _builder.Append(value.ToString(format, CultureInfo.InvariantCulture));

    public void AppendFormatted<T>(T value, string? format = null) =>
        HtmlWriter.Encode(_builder, value is IFormattable formattable ? formattable.ToString(format, CultureInfo.InvariantCulture) : value?.ToString());
}
