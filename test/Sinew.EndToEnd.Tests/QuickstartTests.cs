using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Sinew.EndToEnd.Tests;

/// <summary>The quickstart as a newcomer runs it: <c>sinew run</c>, a POST, the file in the folder, the CLI.</summary>
public sealed class QuickstartTests : IAsyncLifetime
{
    private readonly TempFolder _data = new();
    private readonly TempFolder _config = new();
    private SinewProcess? _sinew;

    private string QuickstartConfig => _config.Path;

    private SinewProcess Sinew => _sinew!;

    /// <summary>The MLLP ports of this run (the quickstart's 2575/2576 moved to free ones so tests never collide).</summary>
    private int MllpToFilePort { get; set; }

    private int MllpForwardPort { get; set; }

    public async ValueTask InitializeAsync()
    {
        (MllpToFilePort, MllpForwardPort) = (Ports.Free(), Ports.Free());
        var samples = Path.Combine(SinewProcess.RepoRoot, "samples", "quickstart");
        foreach (var file in Directory.GetFiles(samples, "*.yaml", SearchOption.AllDirectories))
        {
            var text = (await File.ReadAllTextAsync(file)).Replace("127.0.0.1:2575", $"127.0.0.1:{MllpToFilePort}", StringComparison.Ordinal).Replace("127.0.0.1:2576", $"127.0.0.1:{MllpForwardPort}", StringComparison.Ordinal);
            _config.Write(Path.GetRelativePath(samples, file), text);
        }
        _sinew = await SinewProcess.StartAsync(QuickstartConfig, _data.Path);
    }

    public async ValueTask DisposeAsync()
    {
        if (_sinew is not null)
        {
            await _sinew.DisposeAsync();
        }
        _data.Dispose();
        _config.Dispose();
    }

    private static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe, string what) where T : class
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (await probe() is { } value)
            {
                return value;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException("timed out waiting for " + what);
    }

    private async Task<HttpResponseMessage> PostAsync(string channel, byte[] body, string contentType = "application/hl7-v2", string? idempotencyKey = null)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"in/{channel}") { Content = content };
        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        }
        return await Sinew.Http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Quickstart_PostedMessage_ArrivesByteIdenticalAndTheCliFindsIt()
    {
        byte[] body = [.. "MSH|^~\\&|LAB|HOSP|EHR|HOSP|20261125080000||ORU^R01|CTRL-0001|P|2.5.1\rPID|1||CANARY-MRN-42\r"u8, 0xC3, 0xA9, (byte)'\r'];

        using var response = await PostAsync("http-to-file", body, idempotencyKey: "CTRL-0001");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        var id = accepted.GetProperty("messageId").GetInt64();
        Assert.Equal($"/api/v1/messages/{id}", response.Headers.Location?.ToString());

        var folder = _data.Combine("out", "http-to-file");
        var file = await WaitForAsync(() => Task.FromResult(Directory.Exists(folder) ? Directory.GetFiles(folder, "*.hl7").SingleOrDefault() : null), "the delivered file");
        Assert.Equal(body, await File.ReadAllBytesAsync(file, TestContext.Current.CancellationToken));
        Assert.EndsWith($"-{id}-archive.hl7", file, StringComparison.Ordinal);

        var (exit, output, error) = await SinewProcess.RunCliAsync("messages", "list", "--url", Sinew.BaseUrl.ToString(), "--channel", "http-to-file");
        Assert.True(exit == 0, error);
        Assert.Contains("CTRL-0001", output, StringComparison.Ordinal);
        Assert.Contains("processed", output, StringComparison.Ordinal);

        (exit, output, error) = await SinewProcess.RunCliAsync("messages", "show", id.ToString(System.Globalization.CultureInfo.InvariantCulture), "--url", Sinew.BaseUrl.ToString());
        Assert.True(exit == 0, error);
        Assert.Contains("archive: delivered after 1 attempt(s)", output, StringComparison.Ordinal);

        (exit, output, _) = await SinewProcess.RunCliAsync("channels", "--url", Sinew.BaseUrl.ToString());
        Assert.Equal(0, exit);
        Assert.Contains("http-to-file", output, StringComparison.Ordinal);

        (exit, output, _) = await SinewProcess.RunCliAsync("queues", "--url", Sinew.BaseUrl.ToString(), "--json");
        Assert.Equal(0, exit);
        var queues = JsonDocument.Parse(output).RootElement.EnumerateArray().ToList();
        Assert.Equal(1, queues.Single(q => q.GetProperty("channel").GetString() == "http-to-file").GetProperty("delivered").GetInt64());
        // Every configured destination is listed, also those nothing was queued for yet: empty, circuit closed.
        var idle = queues.Single(q => q.GetProperty("channel").GetString() == "mllp-forward" && q.GetProperty("destination").GetString() == "downstream");
        Assert.Equal(0, idle.GetProperty("depth").GetInt64());
        Assert.Equal("closed", idle.GetProperty("circuit").GetString());

        Assert.Equal(0, await Sinew.StopAsync());
        (exit, output, error) = await SinewProcess.RunCliAsync("messages", "list", "--data", _data.Path, "--config", QuickstartConfig, "--control-id", "CTRL");
        Assert.True(exit == 0, error);
        Assert.Contains("CTRL-0001", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Quickstart_Output_SaysWhereItListensAndThatItIsReady()
    {
        Assert.Contains("Sinew listening on http://127.0.0.1:", Sinew.Output, StringComparison.Ordinal);
        Assert.Contains("channel http-to-file", Sinew.Output, StringComparison.Ordinal);
        using var ready = await Sinew.Http.GetAsync("health/ready", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        using var live = await Sinew.Http.GetAsync("health/live", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        var openApi = await Sinew.Http.GetStringAsync("openapi/v1.json", TestContext.Current.CancellationToken);
        Assert.Contains("/api/v1/messages/{id}/reprocess", openApi, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FileDrop_DroppedFile_IsDeliveredAndMovedToDone()
    {
        var inbox = _data.Combine("in", "file-drop");
        Directory.CreateDirectory(inbox);
        await File.WriteAllTextAsync(Path.Combine(inbox, "orders.csv"), "item,qty\r\nA1,3\r\n", TestContext.Current.CancellationToken);

        var delivered = await WaitForAsync(() => Task.FromResult(Directory.Exists(_data.Combine("out", "file-drop")) ? Directory.GetFiles(_data.Combine("out", "file-drop"), "*.csv").SingleOrDefault() : null), "the delivered file");

        Assert.Equal("item,qty\r\nA1,3\r\n", await File.ReadAllTextAsync(delivered, TestContext.Current.CancellationToken));
        Assert.Single(Directory.GetFiles(Path.Combine(inbox, "done")));
        Assert.Empty(Directory.GetFiles(inbox));
    }

    [Fact]
    public async Task HttpIntake_RepeatedIdempotencyKey_GetsTheFirstAnswerAndStoresNothingNew()
    {
        using var first = await PostAsync("http-to-file", "one"u8.ToArray(), "text/plain", "order-77");
        using var second = await PostAsync("http-to-file", "one again"u8.ToArray(), "text/plain", "order-77");

        var a = await first.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        var b = await second.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        Assert.Equal(a.GetProperty("messageId").GetInt64(), b.GetProperty("messageId").GetInt64());
        Assert.True(second.Headers.Contains("Idempotent-Replayed"));
        var page = await Sinew.Http.GetFromJsonAsync<JsonElement>("api/v1/messages?channel=http-to-file", TestContext.Current.CancellationToken);
        Assert.Equal(1, page.GetProperty("items").GetArrayLength());
    }

    [Theory]
    [InlineData("nope", "x", "text/plain", 404, "there is no channel 'nope'")]
    [InlineData("http-to-file", "", "text/plain", 400, "no body")]
    [InlineData("json-events", "{\"a\":\"\u00ff\"}", "latin1", 422, "not valid UTF-8")]
    public async Task HttpIntake_BadRequest_GetsAProblemThatSaysWhat(string channel, string body, string encoding, int status, string detail)
    {
        var bytes = encoding == "latin1" ? System.Text.Encoding.Latin1.GetBytes(body) : System.Text.Encoding.UTF8.GetBytes(body);

        using var response = await PostAsync(channel, bytes, "application/json");

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Contains(detail, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        using var ready = await Sinew.Http.GetAsync("health/ready", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task HttpIntake_InvalidUtf8_IsKeptAsRejectedForInspection()
    {
        using var response = await PostAsync("json-events", [0x7b, 0xff, 0x7d], "application/json");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var page = await Sinew.Http.GetFromJsonAsync<JsonElement>("api/v1/messages?status=rejected", TestContext.Current.CancellationToken);
        var item = page.GetProperty("items").EnumerateArray().Single();
        Assert.Contains("offset 1", item.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HttpIntake_BodyOverTheChannelLimit_Gets413AndNothingIsStored()
    {
        using var response = await PostAsync("http-to-file", new byte[(1024 * 1024) + 1], "application/octet-stream");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var page = await Sinew.Http.GetFromJsonAsync<JsonElement>("api/v1/messages", TestContext.Current.CancellationToken);
        Assert.Equal(0, page.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task JsonChannel_MalformedJson_LandsInTheExceptionQueueWithTheStepName_ThenReprocessAfterFixIsRefusedAgain()
    {
        using var response = await PostAsync("json-events", "{\"patientToken\": \"t1\", "u8.ToArray(), "application/json");
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("messageId").GetInt64();

        var exception = await WaitForAsync(async () =>
        {
            var list = await Sinew.Http.GetFromJsonAsync<JsonElement>("api/v1/exceptions", TestContext.Current.CancellationToken);
            return list.GetArrayLength() == 1 ? new[] { list[0] } : null;
        }, "the exception entry");
        Assert.Equal("well-formed", exception[0].GetProperty("step").GetString());
        Assert.Contains("not well-formed JSON", exception[0].GetProperty("reason").GetString(), StringComparison.Ordinal);

        using var reprocess = await Sinew.Http.PostAsync($"api/v1/messages/{id}/reprocess", null, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, reprocess.StatusCode);
        Assert.Equal("pipeline-requeued", (await reprocess.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("result").GetString());
    }

    [Fact]
    public async Task AdminApi_BadSearchParameters_AreRefusedWithTheReason()
    {
        using var response = await Sinew.Http.GetAsync("api/v1/messages?limit=5000", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("limit", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);

        using var status = await Sinew.Http.GetAsync("api/v1/messages?status=lost", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, status.StatusCode);

        using var missing = await Sinew.Http.GetAsync("api/v1/messages/987654", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task AdminApi_PauseAndResume_ChangeTheChannelState()
    {
        using var pause = await Sinew.Http.PostAsync("api/v1/channels/http-to-file/pause", null, TestContext.Current.CancellationToken);
        Assert.Equal("paused", (await pause.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("state").GetString());
        using var posted = await PostAsync("http-to-file", "held"u8.ToArray(), "text/plain");
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        await Task.Delay(700, TestContext.Current.CancellationToken);
        Assert.False(Directory.Exists(_data.Combine("out", "http-to-file")) && Directory.GetFiles(_data.Combine("out", "http-to-file")).Length > 0);

        using var resume = await Sinew.Http.PostAsync("api/v1/channels/http-to-file/resume", null, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, resume.StatusCode);
        await WaitForAsync(() => Task.FromResult(Directory.Exists(_data.Combine("out", "http-to-file")) ? Directory.GetFiles(_data.Combine("out", "http-to-file")).FirstOrDefault() : null), "delivery after resume");
    }

    [Fact]
    public async Task Mllp_MessageThroughTheForwardChannel_ArrivesByteIdenticalAfterTwoHops_AndARepeatGetsTheSameAck()
    {
        var adt = "MSH|^~\\&|ADT|HOSP|EHR|HOSP|20261125080000||ADT^A01^ADT_A01|ADT-0042|P|2.5.1\rEVN|A01|20261125080000\rPID|1||CANARY-MRN-77^^^HOSP^MR||CANARY^NAME\rPV1|1|I|ICU^1^1\r"u8.ToArray();
        await using var client = new Sinew.Mllp.MllpClient(new Sinew.Mllp.MllpClientOptions { Host = "127.0.0.1", Port = MllpForwardPort });

        var ack = System.Text.Encoding.ASCII.GetString(await client.SendAsync(adt, TestContext.Current.CancellationToken));
        var again = System.Text.Encoding.ASCII.GetString(await client.SendAsync(adt, TestContext.Current.CancellationToken));

        Assert.Contains("\rMSA|AA|ADT-0042", ack, StringComparison.Ordinal);
        Assert.Equal(ack, again);
        var folder = _data.Combine("out", "mllp-to-file");
        var file = await WaitForAsync(() => Task.FromResult(Directory.Exists(folder) ? Directory.GetFiles(folder, "*.hl7").SingleOrDefault() : null), "the forwarded message");
        Assert.Equal(adt, await File.ReadAllBytesAsync(file, TestContext.Current.CancellationToken));
        var page = await Sinew.Http.GetFromJsonAsync<JsonElement>("api/v1/messages?channel=mllp-forward", TestContext.Current.CancellationToken);
        var forwarded = page.GetProperty("items").EnumerateArray().Single();
        Assert.StartsWith("h:", forwarded.GetProperty("partitionKey").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("CANARY", Sinew.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mllp_BytesThatAreNotHl7_GetAnArWithTheReason_AreKeptAsRejected_AndTheConnectionStaysUp()
    {
        await using var client = new Sinew.Mllp.MllpClient(new Sinew.Mllp.MllpClientOptions { Host = "127.0.0.1", Port = MllpToFilePort });

        var nak = System.Text.Encoding.ASCII.GetString(await client.SendAsync("this is not HL7"u8.ToArray(), TestContext.Current.CancellationToken));
        var ack = System.Text.Encoding.ASCII.GetString(await client.SendAsync("MSH|^~\\&|A|B|C|D|20261125||ORU^R01|OK-1|P|2.5\r"u8.ToArray(), TestContext.Current.CancellationToken));

        Assert.Contains("MSA|AR", nak, StringComparison.Ordinal);
        Assert.Contains("MissingHeader", nak, StringComparison.Ordinal);
        Assert.Contains("MSA|AA|OK-1", ack, StringComparison.Ordinal);
        var page = await Sinew.Http.GetFromJsonAsync<JsonElement>("api/v1/messages?status=rejected", TestContext.Current.CancellationToken);
        var rejected = page.GetProperty("items").EnumerateArray().Single();
        var detail = await Sinew.Http.GetFromJsonAsync<JsonElement>($"api/v1/messages/{rejected.GetProperty("id").GetInt64()}", TestContext.Current.CancellationToken);
        Assert.Equal("this is not HL7", detail.GetProperty("text").GetString());
    }
}
