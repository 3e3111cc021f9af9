using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Sinew.Dashboard.Tests;

/// <summary>Every dashboard page over plain HTTP, against a real <c>sinew run</c>: status, key content, encoding, refusals.</summary>
public sealed partial class PageTests(DashboardSite site)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(HttpStatusCode Status, string Html, HttpResponseMessage Response)> GetAsync(string path)
    {
        var response = await site.Http.GetAsync(path, Ct);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Ct), response);
    }

    [Fact]
    public async Task Overview_Get_ListsEveryChannelWithStateCountsQueuesAndActions()
    {
        var (status, html, response) = await GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        foreach (var channel in new[] { "adt-feed", "json-events", "erp-orders", "lab-results" })
        {
            Assert.Contains($"<a href=\"/messages?channel={channel}\">{channel}</a>", html, StringComparison.Ordinal);
        }
        Assert.Contains("Supply orders posted to the ERP", html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"mono\">erp</span>:", html, StringComparison.Ordinal);
        Assert.Contains("action=\"/channels/adt-feed/pause\"", html, StringComparison.Ordinal);
        Assert.Contains("data-refresh=\"5\"", html, StringComparison.Ordinal);
        Assert.Contains("aria-label=\"no SLA monitor\"", html, StringComparison.Ordinal);
        for (var i = 0; i < 50 && !html.Contains("few-exceptions: ok", StringComparison.Ordinal); i++)
        {
            await Task.Delay(100, Ct);
            (_, html, _) = await GetAsync("/");
        }
        Assert.Contains("few-exceptions: ok", html, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Messages_SearchByControlId_ListsOnlyThatMessage()
    {
        var controlId = "ORD-" + Guid.NewGuid().ToString("N")[..8];
        var id = await site.PostAsync("json-events", """{"event":"admit"}""", "application/json", controlId);
        await site.PostAsync("json-events", """{"event":"other"}""", "application/json", "ORD-other-" + Guid.NewGuid().ToString("N")[..8]);

        var (status, html, _) = await GetAsync($"/messages?controlId={controlId}");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains($"<a href=\"/messages/{id}\">{id}</a>", html, StringComparison.Ordinal);
        Assert.Single(MessageLinks().Matches(html));
        Assert.Contains($"value=\"{controlId}\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Messages_FirstPageOfTwo_LinksTheNextPageByCursor()
    {
        var tag = "PAGE-" + Guid.NewGuid().ToString("N")[..8];
        var ids = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await site.PostAsync("json-events", $$"""{"n":{{i}}}""", "application/json", $"{tag}-{i}"));
        }

        var (_, first, _) = await GetAsync($"/messages?controlId={tag}&limit=2");
        var next = NextLink().Match(first);
        Assert.True(next.Success, "the first page links the next one");
        var (status, second, _) = await GetAsync(WebUtility.HtmlDecode(next.Groups[1].Value));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal([ids[2], ids[1]], MessageLinks().Matches(first).Select(m => long.Parse(m.Groups[1].Value)));
        Assert.Equal([ids[0]], MessageLinks().Matches(second).Select(m => long.Parse(m.Groups[1].Value)));
        Assert.DoesNotMatch(NextLink(), second);
    }

    [Fact]
    public async Task Messages_BadFilter_Answers400AndSaysWhy()
    {
        var (status, html, _) = await GetAsync("/messages?status=lost");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("status &#39;lost&#39; is not one of", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MessageDetail_Hl7_ShowsSegmentsWithFieldPositionsStepsDeliveriesAndTimeline()
    {
        var id = await site.PostAsync("adt-feed", DashboardSite.Adt("MSG-DETAIL-1", "MRN12345"), "application/hl7-v2", "MSG-DETAIL-1");
        await site.WaitForMessageAsync(id, d => DashboardSite.DeliveryStatusOf(d) == "delivered", "delivered");

        var (status, html, _) = await GetAsync($"/messages/{id}");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("HL7 v2 ADT^A01", html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"f\" title=\"PID-3\">MRN12345^^^HOSP^MR</span>", html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"f\" title=\"MSH-10\">MSG-DETAIL-1</span>", html, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"row\" class=\"mono\">PV1-3</th><td class=\"mono\">WARD1^101^A</td>", html, StringComparison.Ordinal);
        Assert.Contains("archive: attempt 1 delivered", html, StringComparison.Ordinal);
        Assert.Contains("— received</li>", html, StringComparison.Ordinal);
        Assert.Contains("— processed</li>", html, StringComparison.Ordinal);
        Assert.Contains("<h3>archive <span class=\"badge ok\">delivered</span></h3>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MessageDetail_Json_IsPrettyPrinted()
    {
        var id = await site.PostAsync("json-events", """{"event":"transfer","bed":{"ward":"W2","room":7}}""", "application/json");

        var (status, html, _) = await GetAsync($"/messages/{id}");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("{\n  &quot;event&quot;: &quot;transfer&quot;,\n  &quot;bed&quot;: {\n    &quot;ward&quot;: &quot;W2&quot;", html.Replace("\r\n", "\n", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MessageDetail_Binary_IsShownAsHexAndBase64()
    {
        byte[] body = [0x25, 0x50, 0x44, 0x46, 0x00, 0xFF, 0xFE];
        var id = await site.PostAsync("lab-results", body, "application/octet-stream");

        var (status, html, _) = await GetAsync($"/messages/{id}");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("00000000  25 50 44 46 00 ff fe", html, StringComparison.Ordinal);
        Assert.Contains(Convert.ToBase64String(body), html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MessageDetail_UnknownId_Answers404()
    {
        var (status, html, _) = await GetAsync("/messages/987654321");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("There is no message 987654321", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Values_ContainingScriptTags_AreShownEncodedOnEveryPage()
    {
        const string controlId = "<script>alert('id')</script>";
        var id = await site.PostAsync("json-events", """{"note":"<script>alert('body')</script>"}""", "application/json", controlId);
        var failed = await site.PostAsync("json-events", """<script>alert('bad')</script>""", "application/json");
        await site.WaitForMessageAsync(failed, d => DashboardSite.StatusOf(d) == "failed", "failed");

        var pages = new[] { "/messages?controlId=%3Cscript%3E", $"/messages/{id}", $"/messages/{failed}", $"/messages/{failed}/edit", "/exceptions", "/messages?controlId=%3Cscript%3Ealert(1)%3C/script%3E" };
        foreach (var page in pages)
        {
            var (status, html, _) = await GetAsync(page);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.DoesNotContain("<script>alert", html, StringComparison.OrdinalIgnoreCase);
        }
        Assert.Contains("&lt;script&gt;alert(&#39;id&#39;)&lt;/script&gt;", (await GetAsync("/messages?controlId=%3Cscript%3E")).Html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(&#39;body&#39;)&lt;/script&gt;", (await GetAsync($"/messages/{id}")).Html, StringComparison.Ordinal);
        Assert.Contains("value=\"&lt;script&gt;alert(1)&lt;/script&gt;\"", (await GetAsync("/messages?controlId=%3Cscript%3Ealert(1)%3C/script%3E")).Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exceptions_Get_GroupsFailedStepsAndDeadLettersByChannelAndReason()
    {
        var failed = await site.PostAsync("json-events", "{not json", "application/json");
        await site.WaitForMessageAsync(failed, d => DashboardSite.StatusOf(d) == "failed", "failed");

        var (status, html, _) = await GetAsync("/exceptions?channel=json-events");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("json-events · step well-formed", html, StringComparison.Ordinal);
        Assert.Contains($"name=\"item\" value=\"{failed}:\"", html, StringComparison.Ordinal);
        Assert.Contains($"href=\"/messages/{failed}/edit\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("erp-orders ·", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_WithoutTheFormToken_IsRefusedAndChangesNothing()
    {
        using var form = new FormUrlEncodedContent([]);
        using var response = await site.Http.PostAsync("/channels/adt-feed/pause", form, Ct);
        var channels = await site.Http.GetFromJsonAsync<JsonElement>("/api/v1/channels", Ct);
        var adt = channels.EnumerateArray().Single(c => c.GetProperty("name").GetString() == "adt-feed");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Form expired", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal("running", adt.GetProperty("state").GetString());
    }

    [Fact]
    public async Task Assets_AreServedFromTheAssembly()
    {
        using var css = await site.Http.GetAsync("/assets/dashboard.css", Ct);
        using var js = await site.Http.GetAsync("/assets/dashboard.js", Ct);

        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.Equal("text/css", css.Content.Headers.ContentType?.MediaType);
        Assert.Contains(":focus-visible", await css.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, js.StatusCode);
        Assert.Contains("data-select-all", await js.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Favicon_TheBrowsersOwnRequest_IsAnsweredNot404()
    {
        using var icon = await site.Http.GetAsync("/favicon.ico", Ct);

        Assert.Equal(HttpStatusCode.OK, icon.StatusCode);
        Assert.Equal("image/svg+xml", icon.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task EditAndReprocess_Hl7FromATextarea_IsSubmittedWithCrBetweenSegments()
    {
        var id = await site.PostAsync("adt-feed", DashboardSite.Adt("MSG-EDIT-1", "MRN1"), "application/hl7-v2", "MSG-EDIT-1");
        await site.WaitForMessageAsync(id, d => DashboardSite.StatusOf(d) == "processed", "processed");
        var (_, form, _) = await GetAsync($"/messages/{id}/edit");
        var token = FormToken().Match(form).Groups[1].Value;
        // What a browser sends for a textarea: CR LF between lines.
        var edited = DashboardSite.Adt("MSG-EDIT-1", "MRN2").Replace("\r", "\r\n", StringComparison.Ordinal);

        using var content = new FormUrlEncodedContent([new("__sinew_form", token), new("body", edited)]);
        using var response = await site.Http.PostAsync($"/messages/{id}/edit", content, Ct);
        var copyPage = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var copyId = long.Parse(response.RequestMessage!.RequestUri!.AbsolutePath.Split('/').Last(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.NotEqual(id, copyId);
        Assert.Contains($"edited copy of message {id}, which was not in the exception queue", copyPage, StringComparison.Ordinal);
        var copy = await site.WaitForMessageAsync(copyId, d => DashboardSite.DeliveryStatusOf(d) == "delivered", "delivered");
        Assert.Equal(DashboardSite.Adt("MSG-EDIT-1", "MRN2"), copy.GetProperty("text").GetString());
        Assert.Equal("MSG-EDIT-1", copy.GetProperty("message").GetProperty("controlId").GetString());
        var original = await site.Http.GetFromJsonAsync<JsonElement>($"api/v1/messages/{id}", Ct);
        Assert.Equal("processed", DashboardSite.StatusOf(original));
    }

    [GeneratedRegex("name=\"__sinew_form\" value=\"([^\"]+)\"")]
    private static partial Regex FormToken();

    [GeneratedRegex("<a href=\"/messages/(\\d+)\">")]
    private static partial Regex MessageLinks();

    [GeneratedRegex("rel=\"next\" href=\"([^\"]+)\"")]
    private static partial Regex NextLink();
}
