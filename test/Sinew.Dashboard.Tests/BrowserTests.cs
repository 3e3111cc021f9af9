using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Sinew.Dashboard.Tests;

/// <summary>What an operator does in the dashboard, in a real browser against a real <c>sinew run</c>.</summary>
public sealed class BrowserTests(DashboardSite site, Browser browser) : IClassFixture<Browser>
{
    private static string Unique(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();

    [Fact]
    public async Task Overview_PauseThenResume_ShowsTheChannelPausedThenRunning()
    {
        var page = await browser.OpenAsync(site.BaseUrl);
        for (var i = 0; i < 4; i++)
        {
            await site.PostAsync("adt-feed", DashboardSite.Adt(Unique("ADT"), "MRN" + i), "application/hl7-v2");
        }
        await site.PostAsync("lab-results", "OBX|1|NM|GLU^Glucose||5.4|mmol/L", "text/plain");

        await page.GotoAsync("/");
        var row = page.GetByRole(AriaRole.Row).Filter(new() { Has = page.GetByRole(AriaRole.Rowheader, new() { Name = "lab-results" }) });
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Overview" })).ToBeVisibleAsync();
        await Expect(row).ToContainTextAsync("running");
        await Browser.ScreenshotAsync(page, "overview.png");

        await row.GetByRole(AriaRole.Button, new() { Name = "Pause lab-results" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Channel lab-results is paused");
        await Expect(row.Locator(".badge")).ToHaveTextAsync("paused");

        await row.GetByRole(AriaRole.Button, new() { Name = "Resume lab-results" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Channel lab-results is running again");
        await Expect(row.Locator(".badge")).ToHaveTextAsync("running");
    }

    [Fact]
    public async Task Overview_NewMessages_AppearWithoutAReload()
    {
        var page = await browser.OpenAsync(site.BaseUrl);
        var errors = Browser.WatchErrors(page);
        await page.GotoAsync("/");
        var received = page.GetByRole(AriaRole.Row).Filter(new() { Has = page.GetByRole(AriaRole.Rowheader, new() { Name = "adt-feed" }) }).Locator("td.num").First;
        var before = long.Parse((await received.TextContentAsync())!.Replace(",", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture);
        await page.EvaluateAsync("window.sameDocument = true");

        await site.PostAsync("adt-feed", DashboardSite.Adt(Unique("ADT"), "MRN77"), "application/hl7-v2");

        await Expect(received).Not.ToHaveTextAsync(before.ToString("N0", System.Globalization.CultureInfo.InvariantCulture), new() { Timeout = 15_000 });
        Assert.True(await page.EvaluateAsync<bool>("window.sameDocument === true"), "the figures changed in place, without reloading the page");
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Keyboard_FirstTab_ReachesTheSkipLinkWithAVisibleFocusRing()
    {
        var page = await browser.OpenAsync(site.BaseUrl);
        await page.GotoAsync("/messages");

        await page.Keyboard.PressAsync("Tab");

        var focused = page.Locator(":focus");
        await Expect(focused).ToHaveTextAsync("Skip to content");
        Assert.NotEqual("none", await focused.EvaluateAsync<string>("e => getComputedStyle(e).outlineStyle"));
        await page.Keyboard.PressAsync("Enter");
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.Locator(":focus")).ToHaveAccessibleNameAsync("Channel");
    }

    [Fact]
    public async Task MessageBrowser_SearchByControlId_OpensTheMessageSegmentBySegment()
    {
        var page = await browser.OpenAsync(site.BaseUrl);
        var errors = Browser.WatchErrors(page);
        var controlId = Unique("MSG");
        var id = await site.PostAsync("adt-feed", DashboardSite.Adt(controlId, "MRN424242"), "application/hl7-v2", controlId);
        await site.PostAsync("json-events", """{"event":"discharge","patientToken":"t-81"}""", "application/json", Unique("EVT"));
        await site.WaitForMessageAsync(id, d => DashboardSite.DeliveryStatusOf(d) == "delivered", "delivered");

        await page.GotoAsync("/messages");
        await Browser.ScreenshotAsync(page, "messages.png");
        await page.GetByLabel("Control id starts with").FillAsync(controlId);
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Row)).ToHaveCountAsync(2);  // the header and the one match
        await page.GetByRole(AriaRole.Link, new() { Name = id.ToString(System.Globalization.CultureInfo.InvariantCulture), Exact = true }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Message {id}" })).ToBeVisibleAsync();
        await Expect(page.Locator("span.f[title='PID-3']")).ToHaveTextAsync("MRN424242^^^HOSP^MR");
        await Expect(page.Locator("span.f[title='MSH-10']")).ToHaveTextAsync(controlId);
        await page.Locator("ol.hl7 summary").Filter(new() { HasText = "PID" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { Has = page.GetByRole(AriaRole.Rowheader, new() { Name = "PID-5", Exact = true }) })).ToContainTextAsync("DOE^JANE^Q");
        await Expect(page.Locator("ol.timeline")).ToContainTextAsync("archive: attempt 1 delivered");
        await Browser.ScreenshotAsync(page, "message.png");
        Assert.Empty(errors);
    }

    [Fact]
    public async Task ExceptionQueue_ReprocessSelectedAfterThePeerRecovers_IsDelivered()
    {
        var page = await browser.OpenAsync(site.BaseUrl);
        var order = """{"item":"gauze 10x10","qty":40,"costCenter":"CC-999"}""";
        var id = await site.PostAsync("erp-orders", order, "application/json", Unique("PO"));
        await site.WaitForMessageAsync(id, d => DashboardSite.DeliveryStatusOf(d) == "deadlettered", "dead-lettered");
        var bad = await site.PostAsync("json-events", """{"event":"admit" "bed":12}""", "application/json");
        await site.WaitForMessageAsync(bad, d => DashboardSite.StatusOf(d) == "failed", "failed");

        await page.GotoAsync("/exceptions");
        var box = page.GetByLabel($"Select message {id}", new() { Exact = true });
        await Expect(box).ToBeVisibleAsync();
        await Browser.ScreenshotAsync(page, "exceptions.png");
        var group = page.Locator("section.group", new() { Has = box });
        await Expect(group.GetByRole(AriaRole.Heading)).ToContainTextAsync("erp-orders · delivery to erp");
        await Expect(group).ToContainTextAsync("400");

        site.Erp.Recover();
        await box.CheckAsync();
        await group.GetByRole(AriaRole.Button, new() { Name = "Reprocess selected" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("1 message(s) put back to work");

        await site.WaitForMessageAsync(id, d => DashboardSite.DeliveryStatusOf(d) == "delivered", "delivered");
        await page.GotoAsync($"/messages/{id}");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "erp" })).ToContainTextAsync("delivered");
        // A reprocess starts the delivery's attempts afresh; the refused attempt stays in the history.
        await Expect(page.Locator("ol.timeline li")).ToContainTextAsync(["received", "processed", "erp: attempt 1 dead-lettered", "erp: attempt 1 delivered"]);
        Assert.Contains(order, site.Erp.Accepted);
    }

    [Fact]
    public async Task ExceptionQueue_DiscardWithAReason_TakesTheMessageOut()
    {
        var page = await browser.OpenAsync(site.BaseUrl);
        var id = await site.PostAsync("json-events", "{\"event\":", "application/json");
        await site.WaitForMessageAsync(id, d => DashboardSite.StatusOf(d) == "failed", "failed");

        await page.GotoAsync("/exceptions?channel=json-events");
        var box = page.GetByLabel($"Select message {id}", new() { Exact = true });
        var group = page.Locator("section.group", new() { Has = box });
        await box.CheckAsync();
        await group.GetByLabel("Reason to discard").FillAsync("test feed, sent by mistake");
        await group.GetByRole(AriaRole.Button, new() { Name = "Discard selected" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("1 item(s) discarded");
        await Expect(page.GetByLabel($"Select message {id}", new() { Exact = true })).ToHaveCountAsync(0);
        var detail = await site.WaitForMessageAsync(id, d => DashboardSite.StatusOf(d) == "discarded", "discarded");
        Assert.Contains("test feed, sent by mistake", detail.GetProperty("message").GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExceptionQueue_BigGroup_FoldsTheRestAndSelectAllCoversThem()
    {
        var page = await browser.OpenAsync(site.BaseUrl);
        var ids = new List<long>();
        for (var i = 0; i < 13; i++)
        {
            ids.Add(await site.PostAsync("json-events", """{"flag":tru}""", "application/json"));
        }
        foreach (var id in ids)
        {
            await site.WaitForMessageAsync(id, d => DashboardSite.StatusOf(d) == "failed", "failed");
        }

        await page.GotoAsync("/exceptions?channel=json-events");
        var group = page.Locator("section.group", new() { Has = page.GetByLabel($"Select message {ids[0]}", new() { Exact = true }) });
        await Expect(group.Locator("details > summary")).ToHaveTextAsync("Show the other 3 of this group");
        await Expect(group.GetByLabel($"Select message {ids[0]}", new() { Exact = true })).Not.ToBeVisibleAsync();  // the oldest are folded
        await group.GetByLabel("Select all in this group").CheckAsync();
        await group.GetByLabel("Reason to discard").FillAsync("duplicate test events");
        await group.GetByRole(AriaRole.Button, new() { Name = "Discard selected" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("13 item(s) discarded");
        foreach (var id in ids)
        {
            await site.WaitForMessageAsync(id, d => DashboardSite.StatusOf(d) == "discarded", "discarded");
        }
    }

    [Fact]
    public async Task EditAndReprocess_FixedJson_IsANewMessageAndTheOriginalIsDiscarded()
    {
        var page = await browser.OpenAsync(site.BaseUrl);
        var controlId = Unique("EVT");
        var id = await site.PostAsync("json-events", """{"event":"admit" "bed":12}""", "application/json", controlId);
        await site.WaitForMessageAsync(id, d => DashboardSite.StatusOf(d) == "failed", "failed");

        await page.GotoAsync($"/messages/{id}");
        await page.GetByRole(AriaRole.Link, new() { Name = "Edit and reprocess…" }).ClickAsync();
        await page.GetByLabel("Message text").FillAsync("""{"event":"admit","bed":12}""");
        await page.GetByRole(AriaRole.Button, new() { Name = "Submit edited message" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"edited copy of message {id}");
        var replacement = long.Parse(page.Url.Split('/').Last().Split('?')[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.NotEqual(id, replacement);
        var copy = await site.WaitForMessageAsync(replacement, d => DashboardSite.DeliveryStatusOf(d) == "delivered", "delivered");
        Assert.Equal(controlId, copy.GetProperty("message").GetProperty("controlId").GetString());
        Assert.Equal($"edited from message {id}", copy.GetProperty("message").GetProperty("source").GetString());
        Assert.Equal("""{"event":"admit","bed":12}""", copy.GetProperty("text").GetString());
        var original = await site.WaitForMessageAsync(id, d => DashboardSite.StatusOf(d) == "discarded", "discarded");
        Assert.Contains($"replaced by edited message {replacement}", original.GetProperty("message").GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal("""{"event":"admit" "bed":12}""", original.GetProperty("text").GetString());
    }
}
