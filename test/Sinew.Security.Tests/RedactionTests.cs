using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Sinew.Mllp;

namespace Sinew.Security.Tests;

/// <summary>
/// Canary patient identifiers sent through MLLP (PID-3, PID-5), HTTP and FHIR (the patient of a SupplyDelivery), valid
/// and invalid, with traces and metrics exported over OTLP/HTTP to a receiver in the test: no canary may appear in any
/// log line (text and JSON formats), in <c>/metrics</c>, or in any exported trace or metric.
/// </summary>
public sealed class RedactionTests : IDisposable
{
    private static readonly string[] Canaries = ["CANARYMRN93817", "Canaryfamily", "Canarygiven", "CANARYFHIR55721", "Canary Patientname", "CANARYHTTP4242"];
    private readonly TempFolder _folder = new();

    [Theory]
    [InlineData("text")]
    [InlineData("json")]
    public async Task CanaryIdentifiers_AppearInNoLogMetricOrTrace(string logFormat)
    {
        var otlpPort = Ports.Free();
        var mllpPort = Ports.Free();
        var exported = new ConcurrentQueue<byte[]>();
        using var receiver = new HttpListener();
        receiver.Prefixes.Add($"http://127.0.0.1:{otlpPort}/");
        receiver.Start();
        _ = Task.Run(async () =>
        {
            while (receiver.IsListening)
            {
                try
                {
                    var context = await receiver.GetContextAsync();
                    using var body = new MemoryStream();
                    await context.Request.InputStream.CopyToAsync(body);
                    exported.Enqueue(body.ToArray());
                    context.Response.StatusCode = 200;
                    context.Response.Close();
                }
                catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }
            }
        }, TestContext.Current.CancellationToken);

        _folder.Write($"{logFormat}/config/sinew.yaml", $"""
            logging:
              format: {logFormat}
            telemetry:
              otlpEndpoint: http://127.0.0.1:{otlpPort}
              otlpProtocol: http
            """);
        _folder.Write($"{logFormat}/config/channels/adt.yaml", $"""
            name: adt
            source:
              type: mllp
              listen: 127.0.0.1:{mllpPort}
              validate: true
            destinations:
              - name: archive
                type: file
                maxSensitivity: phi
                path: out/adt
            """);
        _folder.Write($"{logFormat}/config/channels/events.yaml", """
            name: events
            source:
              type: http
            steps:
              - name: json
                type: validate
                format: json
            destinations:
              - name: archive
                type: file
                maxSensitivity: phi
                path: out/events
            """);
        _folder.Write($"{logFormat}/config/channels/supply.yaml", """
            name: supply
            source:
              type: fhir
              resources: [SupplyDelivery]
            destinations:
              - name: archive
                type: file
                maxSensitivity: phi
                path: out/supply
            """);
        var sinew = await SinewProcess.StartAsync(_folder.Combine(logFormat, "config"), _folder.Combine(logFormat, "data"));
        string metrics;
        try
        {
            var ct = TestContext.Current.CancellationToken;
            await using (var client = new MllpClient(new MllpClientOptions { Host = "127.0.0.1", Port = mllpPort }))
            {
                var good = "MSH|^~\\&|LAB|HOSP|SINEW|HOSP|20260101120000||ADT^A01^ADT_A01|R-1|P|2.5\rEVN|A01|20260101120000\rPID|1||CANARYMRN93817^^^HOSP^MR||Canaryfamily^Canarygiven||19700101|F\rPV1|1|I\r";
                Assert.Contains("MSA|A", Encoding.ASCII.GetString(await client.SendAsync(Encoding.ASCII.GetBytes(good), ct)), StringComparison.Ordinal);
                var invalid = "MSH|^~\\&|LAB|HOSP|SINEW|HOSP|20260101120000||ADT^A01^ADT_A01|R-2|P|2.5\rPID|1||CANARYMRN93817||Canaryfamily^Canarygiven|||NOT-A-SEX-CANARYMRN93817\r";
                await client.SendAsync(Encoding.ASCII.GetBytes(invalid), ct);
                await client.SendAsync(Encoding.ASCII.GetBytes("PID|1||CANARYMRN93817||Canaryfamily^Canarygiven\r"), ct);
            }
            using (var ok = await sinew.Http.PostAsync("/in/events", new StringContent("{\"mrn\":\"CANARYHTTP4242\",\"name\":\"Canaryfamily\"}", Encoding.UTF8, "application/json"), ct))
            {
                Assert.Equal(HttpStatusCode.Accepted, ok.StatusCode);
            }
            using (await sinew.Http.PostAsync("/in/events", new StringContent("{\"mrn\": CANARYHTTP4242 Canaryfamily", Encoding.UTF8, "application/json"), ct))
            {
            }
            var delivery = """
                {"resourceType":"SupplyDelivery","status":"completed","patient":{"reference":"Patient/CANARYFHIR55721","display":"Canary Patientname"},
                 "suppliedItem":{"quantity":{"value":2},"itemCodeableConcept":{"coding":[{"code":"SUP-1"}]}},"occurrenceDateTime":"2026-11-25","destination":{"reference":"Location/ICU"}}
                """;
            using (var created = await sinew.Http.PostAsync("/fhir/SupplyDelivery", new StringContent(delivery, Encoding.UTF8, "application/fhir+json"), ct))
            {
                Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            }
            using (await sinew.Http.PostAsync("/fhir/SupplyDelivery", new StringContent(delivery.Replace("\"completed\"", "\"CANARYFHIR55721\"", StringComparison.Ordinal), Encoding.UTF8, "application/fhir+json"), ct))
            {
            }
            metrics = await sinew.Http.GetStringAsync("/metrics", ct);
            Assert.Contains("sinew_messages_received", metrics, StringComparison.Ordinal);
            Assert.Equal(0, await sinew.StopAsync());
        }
        finally
        {
            await sinew.DisposeAsync();
        }

        Assert.Contains("channel supply", sinew.Output, StringComparison.Ordinal);
        Assert.False(exported.IsEmpty, "the OTLP receiver got nothing; the trace and metric check would prove nothing");
        var otlp = string.Join("\n", exported.Select(Encoding.Latin1.GetString));
        Assert.Contains("sinew", otlp, StringComparison.Ordinal);
        var leaks = Canaries.SelectMany(c => new[] { ("log", sinew.Output), ("/metrics", metrics), ("OTLP", otlp) }
            .Where(place => place.Item2.Contains(c, StringComparison.OrdinalIgnoreCase))
            .Select(place => $"{c} in {place.Item1}: {Around(place.Item2, c)}")).ToList();
        Assert.True(leaks.Count == 0, string.Join("\n", leaks));
    }

    private static string Around(string text, string canary)
    {
        var at = text.IndexOf(canary, StringComparison.OrdinalIgnoreCase);
        var start = Math.Max(0, at - 150);
        return text[start..Math.Min(text.Length, at + canary.Length + 80)].ReplaceLineEndings(" ");
    }

    public void Dispose() => _folder.Dispose();
}
