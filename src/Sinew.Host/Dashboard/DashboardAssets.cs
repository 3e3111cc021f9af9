using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Sinew.Host.Dashboard;

/// <summary>
/// The dashboard's stylesheet and script, compiled into the assembly: no CDN, no npm build, nothing fetched at run time.
/// </summary>
internal static class DashboardAssets
{
    public static readonly Asset Stylesheet = new("text/css; charset=utf-8", """
/* Sinew dashboard: system fonts only, readable on a laptop, focus always visible. */
:root {
  --fg: #1d232b; --muted: #56606d; --bg: #ffffff; --panel: #f4f6f8; --line: #d5dae0;
  --accent: #0b5cad; --ok: #1b6b2f; --warn: #8a5300; --bad: #b3261e; --focus: #f2a900;
  color-scheme: light;
}
* { box-sizing: border-box; }
html { font-size: 15px; }
body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Liberation Sans", sans-serif; color: var(--fg); background: var(--bg); line-height: 1.45; }
a { color: var(--accent); }
a:hover { text-decoration-thickness: 2px; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.skip { position: absolute; left: -999px; top: 0; background: var(--fg); color: #fff; padding: .5rem 1rem; z-index: 10; }
.skip:focus { left: .5rem; }
header.top { display: flex; align-items: center; gap: 2rem; padding: .6rem 1.5rem; background: #14202e; color: #fff; }
header.top .brand { font-weight: 700; font-size: 1.15rem; letter-spacing: .02em; color: #fff; text-decoration: none; }
header.top nav ul { display: flex; gap: .25rem; list-style: none; margin: 0; padding: 0; }
header.top nav a { color: #dbe6f3; text-decoration: none; padding: .4rem .8rem; border-radius: 4px; display: inline-block; }
header.top nav a:hover { background: #24364a; color: #fff; }
header.top nav a[aria-current="page"] { background: #fff; color: #14202e; font-weight: 600; }
main { padding: 1rem 1.5rem 3rem; max-width: 1500px; }
h1 { font-size: 1.45rem; margin: .4rem 0 1rem; }
h2 { font-size: 1.15rem; margin: 1.6rem 0 .6rem; }
h3 { font-size: 1rem; margin: 1.2rem 0 .4rem; }
.muted { color: var(--muted); }
.small { font-size: .85rem; }
table { border-collapse: collapse; width: 100%; margin: .3rem 0 1rem; }
caption { text-align: left; font-weight: 600; padding: .3rem 0; }
th, td { text-align: left; padding: .4rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
thead th { background: var(--panel); font-size: .85rem; text-transform: uppercase; letter-spacing: .03em; color: var(--muted); border-bottom: 2px solid var(--line); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.nowrap { white-space: nowrap; }
tbody tr:hover { background: #f9fafb; }
code, pre, .mono { font-family: ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", "Liberation Mono", Menlo, monospace; font-size: .88rem; }
pre { background: var(--panel); border: 1px solid var(--line); padding: .8rem; overflow: auto; max-height: 32rem; white-space: pre-wrap; word-break: break-all; }
.badge { display: inline-block; padding: .05rem .5rem; border-radius: 999px; font-size: .82rem; font-weight: 600; border: 1px solid currentColor; white-space: nowrap; }
.badge.ok { color: var(--ok); } .badge.warn { color: var(--warn); } .badge.bad { color: var(--bad); } .badge.idle { color: var(--muted); }
.cards { display: flex; flex-wrap: wrap; gap: 1rem; margin-bottom: 1rem; }
.card { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: .6rem 1rem; min-width: 10rem; }
.card .value { font-size: 1.5rem; font-weight: 700; font-variant-numeric: tabular-nums; }
.card .label { color: var(--muted); font-size: .85rem; }
.notice { border-left: 4px solid var(--accent); background: #eef5fc; padding: .6rem 1rem; margin: 0 0 1rem; }
.notice.error { border-color: var(--bad); background: #fcefee; }
form.inline { display: inline; margin: 0; }
button, .button { font: inherit; padding: .35rem .8rem; border-radius: 4px; border: 1px solid #7d8894; background: #fff; color: var(--fg); cursor: pointer; text-decoration: none; display: inline-block; }
button:hover, .button:hover { background: var(--panel); }
button.primary { background: var(--accent); border-color: var(--accent); color: #fff; }
button.primary:hover { background: #094a8b; }
button.danger { color: var(--bad); border-color: var(--bad); }
input, select, textarea { font: inherit; padding: .3rem .45rem; border: 1px solid #7d8894; border-radius: 4px; background: #fff; color: var(--fg); }
textarea { width: 100%; min-height: 20rem; font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .88rem; }
.filters { display: flex; flex-wrap: wrap; gap: .8rem 1.2rem; align-items: flex-end; background: var(--panel); border: 1px solid var(--line); padding: .8rem 1rem; border-radius: 6px; margin-bottom: 1rem; }
.filters label, .field label { display: block; font-size: .85rem; font-weight: 600; margin-bottom: .15rem; }
.actions { display: flex; flex-wrap: wrap; gap: .6rem; align-items: flex-end; margin: .6rem 0; }
.pager { display: flex; gap: 1rem; align-items: center; }
ul.queues { list-style: none; margin: 0; padding: 0; }
ul.queues li { white-space: nowrap; }
svg.spark { display: block; }
svg.spark polyline { fill: none; stroke: var(--accent); stroke-width: 1.5; }
svg.spark .base { stroke: var(--line); stroke-width: 1; }
.refresh { float: right; font-size: .85rem; color: var(--muted); }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1.2rem; margin: 0 0 1rem; }
dl.facts dt { font-weight: 600; color: var(--muted); }
dl.facts dd { margin: 0; }
ol.hl7 { list-style: none; margin: 0; padding: .6rem; background: var(--panel); border: 1px solid var(--line); overflow-x: auto; }
ol.hl7 li { margin: 0; }
ol.hl7 summary { cursor: pointer; white-space: pre-wrap; word-break: break-all; padding: .1rem 0; }
ol.hl7 .seg { font-weight: 700; color: #6b2fa1; }
ol.hl7 .sep { color: var(--muted); }
ol.hl7 .f:hover { background: #fff2c2; }
ol.hl7 table { width: auto; margin: .3rem 0 .6rem 1.5rem; background: #fff; }
ol.hl7 table td, ol.hl7 table th { padding: .15rem .6rem; font-size: .85rem; }
ol.timeline { list-style: none; padding: 0; margin: 0 0 1rem; border-left: 3px solid var(--line); }
ol.timeline li { position: relative; padding: .2rem 0 .5rem 1.2rem; }
ol.timeline li::before { content: ""; position: absolute; left: -.45rem; top: .55rem; width: .6rem; height: .6rem; border-radius: 50%; background: var(--accent); }
ol.timeline li.bad::before { background: var(--bad); }
ol.timeline li.ok::before { background: var(--ok); }
section.group { border: 1px solid var(--line); border-radius: 6px; padding: .2rem 1rem .6rem; margin-bottom: 1.2rem; }
section.group h2 { margin-top: .8rem; font-size: 1.05rem; }
.reason { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .88rem; word-break: break-word; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
@media (max-width: 900px) { main { padding: .8rem; } header.top { flex-wrap: wrap; gap: .5rem; } }
""");

    public static readonly Asset Script = new("text/javascript; charset=utf-8", """
// Sinew dashboard: the only script. Select-all checkboxes, and a polite auto-refresh of the [data-refresh] region.
(function () {
  "use strict";
  document.addEventListener("change", function (e) {
    var all = e.target.closest && e.target.closest("input[data-select-all]");
    if (!all) { return; }
    all.form.querySelectorAll("input[type=checkbox][name=item]").forEach(function (box) { box.checked = all.checked; });
  });
  var region = document.querySelector("[data-refresh]");
  var toggle = document.getElementById("auto-refresh");
  if (!region || !toggle) { return; }
  // The server says how often: every 5 s, slower when the figures were slow to gather (a big journal).
  function schedule() { setTimeout(refresh, (parseInt(region.getAttribute("data-refresh"), 10) || 5) * 1000); }
  function refresh() {
    // Never pull the page from under the user: skip while they are off, or working inside the region.
    if (!toggle.checked || document.hidden || region.contains(document.activeElement)) { schedule(); return; }
    fetch(location.href, { headers: { "Accept": "text/html" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        var fresh = html && new DOMParser().parseFromString(html, "text/html").querySelector("[data-refresh]");
        if (fresh) {
          region.innerHTML = fresh.innerHTML;
          region.setAttribute("data-refresh", fresh.getAttribute("data-refresh"));
          var label = document.getElementById("refresh-every");
          if (label) { label.textContent = fresh.getAttribute("data-refresh"); }
        }
      })
      .catch(function () { })
      .then(schedule);
  }
  schedule();
}());
""");

    /// <summary>The tab icon; served at <c>/favicon.ico</c> too, since browsers ask for it on their own.</summary>
    public static readonly Asset Icon = new("image/svg+xml", """
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#14202e"/><path d="M7 22c6 0 6-12 12-12h6M7 16h18M7 10c6 0 6 12 12 12h6" stroke="#f2a900" stroke-width="2.5" fill="none" stroke-linecap="round"/></svg>
""");

    public static IResult Serve(HttpContext context, Asset asset)
    {
        var headers = context.Response.Headers;
        headers.ETag = asset.ETag;
        headers.CacheControl = "no-cache";
        headers.XContentTypeOptions = "nosniff";
        if (context.Request.Headers.IfNoneMatch == asset.ETag)
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }
        return Results.Bytes(asset.Bytes, asset.ContentType);
    }

    /// <summary>One file: its bytes, media type and validator.</summary>
    internal sealed class Asset
    {
        public Asset(string contentType, string text)
        {
            ContentType = contentType;
            Bytes = Encoding.UTF8.GetBytes(text);
            ETag = $"\"{Convert.ToHexStringLower(SHA256.HashData(Bytes).AsSpan(0, 8))}\"";
        }

        public string ContentType { get; }

        public byte[] Bytes { get; }

        public string ETag { get; }
    }
}
