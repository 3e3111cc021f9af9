using System.Net;
using System.Net.Sockets;
using System.Text;
using Sinew.Reliability.Tests.Support;

namespace Sinew.Reliability.Tests.Hostile;

/// <summary>Inputs too big or too deep: refused with a clear answer before they are held in memory, nothing stored.</summary>
public sealed class OversizedInputTests(HostileFixture fixture) : IClassFixture<HostileFixture>
{
    [Fact]
    public async Task OversizedMllpFrame_IsRejectedWithAReason_NothingStored_ProcessUp()
    {
        var check = await HostileCase.BeginAsync(fixture, "MLLP frame of 8 MB (limit 64 KB)", "mllp");
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", fixture.MllpPort, TestContext.Current.CancellationToken);
        var stream = client.GetStream();
        var head = Encoding.ASCII.GetBytes("\vMSH|^~\\&|BIG|X|SINEW|H|20261125||ADT^A01|BIG1|P|2.5.1\rNTE|1||");
        var answer = new StringBuilder();
        var reader = Task.Run(async () =>
        {
            var buffer = new byte[4096];
            try
            {
                int read;
                while ((read = await stream.ReadAsync(buffer)) > 0)
                {
                    answer.Append(Encoding.Latin1.GetString(buffer, 0, read));
                }
            }
            catch (IOException)
            {
            }
        });
        try
        {
            await stream.WriteAsync(head, TestContext.Current.CancellationToken);
            var filler = Enumerable.Repeat((byte)'A', 64 * 1024).ToArray();
            for (var i = 0; i < 128; i++)
            {
                await stream.WriteAsync(filler, TestContext.Current.CancellationToken);
            }
        }
        catch (IOException)
        {
            // The listener stopped reading and closed: the rest of the frame had nowhere to go.
        }
        await reader.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        var ack = answer.ToString();
        Assert.Contains("MSA|", ack, StringComparison.Ordinal);
        Assert.Matches("MSA\\|(AR|AE|CR|CE)", ack);
        await check.EndAsync("answered " + ack.Split('\r').FirstOrDefault(s => s.StartsWith("MSA", StringComparison.Ordinal)) + " / " + ack.Split('\r').FirstOrDefault(s => s.StartsWith("ERR", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task OversizedHttpBody_WithAndWithoutContentLength_Answers413_NothingStored()
    {
        var check = await HostileCase.BeginAsync(fixture, "HTTP body of 64 MB (limit 1 MB)", "big-http");
        using var declared = await fixture.Sinew.Http.PostAsync("in/big-http", new ByteArrayContent(new byte[2 * 1024 * 1024]), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, declared.StatusCode);
        var status = await PostChunkedAsync("in/big-http", new GeneratedStream(64L * 1024 * 1024, "", "0123456789abcdef"));
        Assert.True(status is 413 or -1, $"a chunked 64 MB body was answered {status}");
        await check.EndAsync($"413 with Content-Length; chunked without length: {(status == -1 ? "connection closed after the limit" : status.ToString(System.Globalization.CultureInfo.InvariantCulture))}; problem: {await declared.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)}");
    }

    [Fact]
    public async Task FhirBundleOf100MB_IsRefused_NothingStored_MemoryBounded()
    {
        var check = await HostileCase.BeginAsync(fixture, "FHIR Bundle of 100 MB (limit 8 MB), chunked", "fhir");
        var status = await PostChunkedAsync("fhir/", new GeneratedStream(100L * 1024 * 1024, "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[", "{\"fullUrl\":\"urn:uuid:0\",\"resource\":{\"resourceType\":\"SupplyDelivery\"}},"), "application/fhir+json");
        Assert.True(status is 413 or -1, $"a 100 MB bundle was answered {status}");
        await check.EndAsync(status == -1 ? "connection closed after the limit" : $"HTTP {status}");
    }

    [Fact]
    public async Task JsonNested10000Deep_ToFhir_IsRefusedWithAProblem_NothingStored()
    {
        var check = await HostileCase.BeginAsync(fixture, "JSON nested 10,000 deep to /fhir", "fhir");
        var body = "{\"resourceType\":\"SupplyDelivery\",\"extension\":" + string.Concat(Enumerable.Repeat("[", 10_000)) + string.Concat(Enumerable.Repeat("]", 10_000)) + "}";
        using var content = new StringContent(body, Encoding.UTF8, "application/fhir+json");
        using var response = await fixture.Sinew.Http.PostAsync("fhir/SupplyDelivery", content, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True((int)response.StatusCode is 400 or 413 or 422, $"answered {(int)response.StatusCode}: {text}");
        Assert.Contains("OperationOutcome", text, StringComparison.Ordinal);
        await check.EndAsync($"HTTP {(int)response.StatusCode}: {Shorten(text)}", keptAsRejected: 1);
    }

    [Fact]
    public async Task JsonNested10000Deep_ToPlainHttpChannel_StoredAsOpaqueBytesWithoutCrash()
    {
        var check = await HostileCase.BeginAsync(fixture, "JSON nested 10,000 deep to an http channel", "raw");
        var body = string.Concat(Enumerable.Repeat("{\"a\":", 10_000)) + "1" + string.Concat(Enumerable.Repeat("}", 10_000));
        using var response = await fixture.Sinew.Http.PostAsync("in/raw", new StringContent(body), TestContext.Current.CancellationToken);
        // An http source without JSON steps stores bytes as they are: accepting is right, crashing is not.
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await check.EndAsync("202, stored as opaque bytes (the channel has no JSON step)", stored: 1);
    }

    internal static string Shorten(string text) => text.Length > 240 ? text[..240] + "…" : text;

    private async Task<int> PostChunkedAsync(string path, Stream body, string contentType = "application/octet-stream")
    {
        using var content = new StreamContent(body, 64 * 1024);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        try
        {
            using var response = await fixture.Sinew.Http.PostAsync(path, content, TestContext.Current.CancellationToken);
            return (int)response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return -1;
        }
    }
}
