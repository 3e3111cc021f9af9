using System.Net;
using System.Text;
using System.Text.Json;
using Sinew.Reliability.Tests.Support;

namespace Sinew.Reliability.Tests.Hostile;

/// <summary>Path traversal, SQL metacharacters, header and log injection, through the real entry points.</summary>
public sealed class InjectionTests(HostileFixture fixture) : IClassFixture<HostileFixture>
{
    [Theory]
    [InlineData("in/..%2f..%2fetc%2fpasswd")]
    [InlineData("in/%2e%2e%2f%2e%2e%2fraw")]
    [InlineData("in/..%5c..%5craw")]
    [InlineData("in/raw%00.yaml")]
    public async Task PathTraversalInChannelName_Answers404_NothingStored(string path)
    {
        var check = await HostileCase.BeginAsync(fixture, $"POST /{path}", "raw");
        var answer = await RawHttp.SendAsync(fixture.Sinew.BaseUrl, $"POST /{path} HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello");
        Assert.True(RawHttp.Status(answer) is 400 or 404, $"answered: {answer}");
        await check.EndAsync($"HTTP {RawHttp.Status(answer)}");
    }

    [Theory]
    [InlineData("GET /api/v1/messages/..%2f..%2f..%2fetc%2fpasswd")]
    [InlineData("POST /api/v1/channels/..%2f..%2fraw/pause")]
    [InlineData("GET /api/v1/schemas/..%2f..%2f..%2fetc%2fpasswd/1")]
    [InlineData("GET /ui/assets/..%2f..%2f..%2fetc%2fpasswd")]
    public async Task PathTraversalInAdminApi_AnswersNotFoundOrBadRequest_LeaksNothing(string requestLine)
    {
        var check = await HostileCase.BeginAsync(fixture, requestLine, "raw");
        var answer = await RawHttp.SendAsync(fixture.Sinew.BaseUrl, $"{requestLine} HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        Assert.True(RawHttp.Status(answer) is 400 or 404 or 405, $"answered: {answer}");
        Assert.DoesNotContain("root:", answer, StringComparison.Ordinal);
        Assert.Equal("running", (await fixture.Sinew.GetJsonAsync("api/v1/channels")).EnumerateArray().First(c => c.GetProperty("name").GetString() == "raw").GetProperty("state").GetString());
        await check.EndAsync($"HTTP {RawHttp.Status(answer)}");
    }

    [Fact]
    public async Task PathTraversalInIdempotencyKeyAndFileDropNames_FilesStayInsideTheirFolders()
    {
        var check = await HostileCase.BeginAsync(fixture, "'../' in Idempotency-Key and in dropped file names", "drop");
        using (var request = new HttpRequestMessage(HttpMethod.Post, "in/raw") { Content = new StringContent("traversal") })
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", "../../../../tmp/sinew-escaped");
            using var response = await fixture.Sinew.Http.SendAsync(request, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }
        var inbox = Path.Combine(fixture.Data, "in", "drop");
        Directory.CreateDirectory(inbox);
        string[] names = ["%2e%2e%2fescaped.txt", "a\\..\\..\\escaped.txt", "-rf escaped", "$(touch escaped)"];
        // Names starting with '.' are hidden files the file source ignores by design; they must stay where they are.
        string[] hidden = ["..\\..\\escaped-hidden.txt", "..escaped-hidden"];
        foreach (var name in names.Concat(hidden))
        {
            await File.WriteAllTextAsync(Path.Combine(inbox, name), "dropped " + name, TestContext.Current.CancellationToken);
        }
        Assert.True(await Admin.EventuallyAsync(async () => await fixture.TotalAsync("drop") >= names.Length, TimeSpan.FromSeconds(20)), "the dropped files were not picked up");
        await Task.Delay(1000);
        var outside = Directory.GetFiles(fixture.Data, "*", SearchOption.AllDirectories)
            .Where(f => !f.StartsWith(Path.Combine(fixture.Data, "in", "drop"), StringComparison.Ordinal) && !f.StartsWith(Path.Combine(fixture.Data, "out"), StringComparison.Ordinal) && !Path.GetFileName(f).StartsWith("journal", StringComparison.Ordinal))
            .ToList();
        Assert.DoesNotContain(outside, f => f.Contains("escaped", StringComparison.Ordinal));
        Assert.False(File.Exists("/tmp/sinew-escaped"));
        Assert.All(hidden, name => Assert.True(File.Exists(Path.Combine(inbox, name)), $"hidden file {name} was touched"));
        var done = Directory.GetFiles(Path.Combine(inbox, "done")).Select(Path.GetFileName).ToList();
        Assert.All(names, name => Assert.Single(done, f => f!.EndsWith("-" + name, StringComparison.Ordinal)));
        await check.EndAsync($"{names.Length} odd file names journaled and moved under in/drop/done; nothing written outside the data folder's in/ and out/", stored: names.Length);
    }

    public static TheoryData<string, string> SearchFields => new()
    {
        { "channel", "search' OR '1'='1" },
        { "channel", "search\"; DROP TABLE inbox; --" },
        { "controlId", "' OR 1=1 --" },
        { "controlId", "%' UNION SELECT body FROM inbox --" },
        { "status", "processed' OR '1'='1" },
        { "from", "2020-01-01' OR '1'='1" },
        { "to", "1; DELETE FROM inbox" },
        { "cursor", "1 OR 1=1" },
        { "cursor", "-1 UNION SELECT 1" },
    };

    [Theory]
    [MemberData(nameof(SearchFields))]
    public async Task SqlMetacharactersInSearchFields_NeverMatchMoreOrBreakTheJournal(string field, string value)
    {
        var check = await HostileCase.BeginAsync(fixture, $"search {field}={value}", "search");
        await fixture.Sinew.PostAsync("search", "one", idempotencyKey: "plain-" + Guid.NewGuid().ToString("N"));
        var all = await fixture.Sinew.GetJsonAsync("api/v1/messages?limit=500");
        using var response = await fixture.Sinew.Http.GetAsync($"api/v1/messages?{field}={Uri.EscapeDataString(value)}", TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"answered {(int)response.StatusCode}: {text}");
        if (response.StatusCode == HttpStatusCode.OK)
        {
            Assert.Empty(JsonDocument.Parse(text).RootElement.GetProperty("items").EnumerateArray());
        }
        else
        {
            Assert.Contains(field, text, StringComparison.OrdinalIgnoreCase);
        }
        var afterwards = await fixture.Sinew.GetJsonAsync("api/v1/messages?limit=500");
        Assert.Equal(all.GetProperty("items").GetArrayLength(), afterwards.GetProperty("items").GetArrayLength());
        await check.EndAsync($"HTTP {(int)response.StatusCode}: {OversizedInputTests.Shorten(text)}", stored: 1);
    }

    [Fact]
    public async Task SqlMetacharactersInAControlId_AreFoundExactly()
    {
        var key = "x'--\"%_;" + Guid.NewGuid().ToString("N")[..6];
        var id = await fixture.Sinew.PostAsync("search", "quoted", idempotencyKey: key);
        var found = await fixture.Sinew.GetJsonAsync($"api/v1/messages?controlId={Uri.EscapeDataString(key)}");
        Assert.Equal([id], found.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()));
        var wildcard = await fixture.Sinew.GetJsonAsync($"api/v1/messages?controlId={Uri.EscapeDataString("x'--\"%_;%")}");
        Assert.Empty(wildcard.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task CrLfInIdempotencyKey_IsRefused_NothingStored_NoHeaderInjected()
    {
        var check = await HostileCase.BeginAsync(fixture, "CR/LF in Idempotency-Key", "raw");
        var answers = new List<int>();
        var run = Guid.NewGuid().ToString("N")[..8];
        foreach (var key in new[] { $"k1{run}\r\nX-Injected: yes", $"k2{run}\rX-Injected: yes", $"k3{run}\nX-Injected: yes", $"k4{run}\u0085def" })
        {
            var answer = await RawHttp.SendAsync(fixture.Sinew.BaseUrl, $"POST /in/raw HTTP/1.1\r\nHost: x\r\nIdempotency-Key: {key}\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello");
            answers.Add(RawHttp.Status(answer));
            Assert.DoesNotContain("X-Injected", answer, StringComparison.Ordinal);
        }
        // A key that splits into an extra header line is just a short key plus a header: accepting that is HTTP, not injection.
        Assert.All(answers, a => Assert.True(a is 400 or 202, $"answered {a}"));
        await check.EndAsync("answers " + string.Join(", ", answers), stored: answers.Count(a => a == 202));
    }

    [Fact]
    public async Task CrLfInLoggedFields_NeverStartsAForgedLogLine()
    {
        var marker = "FORGED" + Guid.NewGuid().ToString("N")[..8];
        // The channel name in the URL reaches the 404 problem and the request log; MSH-10 reaches the MLLP source.
        await RawHttp.SendAsync(fixture.Sinew.BaseUrl, $"POST /in/x%0d%0a{marker}%20level=error HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nConnection: close\r\n\r\nx");
        await RawHttp.SendAsync(fixture.Sinew.BaseUrl, $"POST /in/x%0a{marker} HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nConnection: close\r\n\r\nx");
        await using (var client = new Sinew.Mllp.MllpClient(new Sinew.Mllp.MllpClientOptions { Host = "127.0.0.1", Port = fixture.MllpPort }))
        {
            var hl7 = $"MSH|^~\\&|LOG|X|SINEW|H|20261125||ADT^A01|C1\n{marker}\u2028{marker}|P|2.5.1\rPID|1||X\n{marker}\r";
            await client.SendAsync(Encoding.UTF8.GetBytes(hl7), TestContext.Current.CancellationToken);
        }
        using var bad = await fixture.Sinew.Http.PostAsync("fhir/SupplyDelivery", new StringContent($"{{\"resourceType\":\"SupplyDelivery\",\"id\":\"a\\n{marker}\"}}", Encoding.UTF8, "application/fhir+json"), TestContext.Current.CancellationToken);
        await Task.Delay(500);
        var forged = fixture.Sinew.Output.Split('\n').Where(line => line.TrimStart().StartsWith(marker, StringComparison.Ordinal)).ToList();
        var mentions = fixture.Sinew.Output.Split('\n').Count(line => line.Contains(marker, StringComparison.Ordinal));
        Figures.Report("hostile", $"log injection: {forged.Count} forged log lines, {mentions} log lines mention the injected text at all");
        Assert.Empty(forged);
    }

    [Fact]
    public void CsvFormulaInjection_NoCsvExportExists()
    {
        // Recorded for the catalogue: the admin API and dashboard export nothing as CSV (JSON only), so there is no
        // spreadsheet for a '=cmd|...' cell to reach. This test fails when a CSV export appears, to get its own case.
        var host = typeof(Sinew.Host.SinewApp).Assembly;
        var csv = host.GetTypes().Where(t => t.Name.Contains("Csv", StringComparison.OrdinalIgnoreCase)).Select(t => t.FullName).ToList();
        Assert.Empty(csv);
        Figures.Report("hostile", "CSV formula injection: no CSV export in the host (no type named *Csv*); nothing to test");
    }
}
