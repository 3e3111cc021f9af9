using System.Globalization;
using Microsoft.AspNetCore.Http;
using Sinew.Host.Admin;

namespace Sinew.Host.Dashboard;

/// <summary>
/// <c>GET /reports/variance</c>: the inventory variance report — per item and storage location, what the clinics recorded
/// through Sinew against what the ERP booked — for a supply-chain manager looking for leakage or posting gaps.
/// </summary>
internal static class VariancePage
{
    public static async Task<IResult> GetAsync(HttpContext context, AdminService admin, string? from, string? to, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var start = AdminApi.TryDate(from, out var f) ? f : today.AddDays(-6);
        var end = AdminApi.TryDate(to, out var t) ? t : today;
        var html = new HtmlWriter();
        html.Add($"""
            <h1>Inventory variance</h1>
            <form class="filters" method="get" action="/reports/variance">
            <label>From <input type="date" name="from" value="{start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}" required></label>
            <label>To <input type="date" name="to" value="{end.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}" required></label>
            <button type="submit">Show</button>
            </form>
            """);
        if (end < start || end.DayNumber - start.DayNumber > 366)
        {
            DashboardPage.Notice(html, "The period must end on or after its start and span at most 366 days.", error: true);
            return DashboardPage.Render(context, "Inventory variance", DashboardPage.Section.Variance, html);
        }
        var report = await admin.InventoryVarianceAsync(start, end, channel: null, ct);
        if (report is null || report.Sources.Count == 0)
        {
            html.Add($"<p class=\"muted\">No channel posts consumption to an ERP ledger (a destination such as <span class=\"mono\">type: tryton</span>).</p>");
            return DashboardPage.Render(context, "Inventory variance", DashboardPage.Section.Variance, html);
        }
        foreach (var problem in report.Problems)
        {
            DashboardPage.Notice(html, problem, error: true);
        }
        foreach (var (ledger, feeds) in report.Sources)
        {
            var rows = report.Rows.Where(r => r.Ledger == ledger).ToList();
            var differing = rows.Count(r => r.Difference != 0);
            var fedBy = string.Join(", ", feeds);
            html.Add($"""
                <section class="group">
                <h2>{ledger}</h2>
                <p class="small">Fed by {fedBy}. {(differing == 0 ? "Everything recorded was booked." : $"{differing} item(s) differ.")}</p>
                <table><caption class="visually-hidden">Recorded and booked consumption in {ledger}</caption>
                <thead><tr><th scope="col">Location</th><th scope="col">Product</th><th scope="col" class="num">Recorded by Sinew</th><th scope="col" class="num">Booked in the ERP</th><th scope="col" class="num">Difference</th></tr></thead><tbody>
                """);
            if (rows.Count == 0)
            {
                html.Add($"<tr><td colspan=\"5\" class=\"muted\">No consumption in this period.</td></tr>");
            }
            foreach (var row in rows)
            {
                var badge = row.Difference == 0 ? "ok" : "bad";
                html.Add($"""
                    <tr><td class="mono">{row.Location}</td><th scope="row" class="mono">{row.Product}</th><td class="num">{Q(row.Recorded)}</td><td class="num">{Q(row.Booked)}</td>
                    <td class="num"><span class="badge {badge}">{Q(row.Difference)}</span></td></tr>
                    """);
            }
            html.Add($"</tbody></table></section>");
        }
        return DashboardPage.Render(context, "Inventory variance", DashboardPage.Section.Variance, html);
    }

    private static string Q(decimal value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
