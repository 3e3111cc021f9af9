using System.Globalization;
using System.Text;

namespace Sinew.Host.Dashboard;

/// <summary>Draws messages per minute as a small inline SVG, with the figures in its accessible name.</summary>
internal static class Sparkline
{
    private const int Width = 150;
    private const int Height = 30;

    public static void Write(HtmlWriter html, long[]? perMinute)
    {
        if (perMinute is null)
        {
            html.Add($"<span class=\"muted small\">collecting…</span>");
            return;
        }
        long total = 0, peak = 0;
        foreach (var value in perMinute)
        {
            total += value;
            peak = Math.Max(peak, value);
        }
        var points = new StringBuilder();
        var step = (double)Width / (perMinute.Length - 1);
        for (var i = 0; i < perMinute.Length; i++)
        {
            var y = Height - 2 - (peak == 0 ? 0 : (double)perMinute[i] / peak * (Height - 4));
            points.Append(CultureInfo.InvariantCulture, $"{i * step:0.#},{y:0.#} ");
        }
        var label = $"{Format.Count(total)} messages in the last hour, peak {Format.Count(peak)} per minute, {Format.Count(perMinute[^1])} in the last minute";
        html.Add($"""
            <svg class="spark" width="{Width}" height="{Height}" viewBox="0 0 {Width} {Height}" role="img" aria-label="{label}"><title>{label}</title><line class="base" x1="0" y1="{Height - 1}" x2="{Width}" y2="{Height - 1}"/><polyline points="{points.ToString().TrimEnd()}"/></svg>
            """);
        html.Add($"<span class=\"small muted\">{Format.Count(total)}/h</span>");
    }
}
