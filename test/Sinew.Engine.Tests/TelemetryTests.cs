using System.Diagnostics;
using System.Diagnostics.Metrics;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Sinew.Core.Delivery;
using Sinew.Core.Journal;
using Sinew.Core.Pipeline;
using Sinew.Engine.Config;
using Sinew.Engine.Telemetry;

namespace Sinew.Engine.Tests;

public sealed class TelemetryTests
{
    private const string CanaryMrn = "CANARY-MRN-4711";
    private const string CanaryName = "ZZCANARY^PATIENT";

    [Fact]
    public async Task Trace_OneMessage_HasSpansForReceiveJournalStepsAndEachAttempt_InOneTrace_WithoutPhi()
    {
        var spans = new List<Activity>();
        using var tracing = Sdk.CreateTracerProviderBuilder().AddSource(SinewActivity.SourceName).AddInMemoryExporter(spans).Build();
        var calls = 0;
        var destination = new ScriptedDestination(_ => Interlocked.Increment(ref calls) == 1 ? DeliveryResult.Transient("HTTP 503 for " + CanaryMrn) : DeliveryResult.Delivered());
        var step = new LambdaStep(_ => StepResult.Continue);
        await using (var fixture = await EngineFixture.StartAsync(EngineFixture.Channel("adt-trace", [new NamedStep("check", step)], destinations: ("ehr", destination, new RetryOptions(3, TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(10))))))
        {
            var id = await fixture.SendAsync("adt-trace", $"MSH|^~\\&|A|B|C|D|20261125||ADT^A01|X1|P|2.5\rPID|1||{CanaryMrn}||{CanaryName}\r");
            await EngineFixture.WaitUntilAsync(async () => await fixture.StatusAsync(id, "ehr") == DeliveryStatus.Delivered, "delivered");
        }
        // Engines of other tests keep ending spans on other threads; stop exporting before reading the list (a second
        // Dispose at the end of the test does nothing).
        tracing.ForceFlush();
        tracing.Dispose();

        // Other tests run engines in parallel; keep the spans of this message's trace only.
        var traceId = spans.Single(s => s.OperationName == "sinew.receive" && (string?)s.GetTagItem("sinew.channel") == "adt-trace").TraceId;
        spans = spans.Where(s => s.TraceId == traceId).ToList();
        var names = spans.Select(s => s.OperationName).ToList();
        Assert.Contains("sinew.receive", names);
        Assert.Contains("sinew.journal.append", names);
        Assert.Contains("sinew.pipeline", names);
        Assert.Contains("sinew.step", names);
        Assert.Equal(2, names.Count(n => n == "sinew.deliver"));
        Assert.Equal(["retry", "delivered"], spans.Where(s => s.OperationName == "sinew.deliver").OrderBy(s => s.StartTimeUtc).Select(s => (string?)s.GetTagItem("sinew.outcome")));
        foreach (var span in spans)
        {
            Assert.DoesNotContain(CanaryMrn, span.StatusDescription ?? "", StringComparison.Ordinal);
            foreach (var tag in span.TagObjects)
            {
                Assert.DoesNotContain("CANARY", tag.Value?.ToString() ?? "", StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task Metrics_CountsPerChannelAndDestination_MatchWhatWasSent()
    {
        var measurements = new List<(string Name, long Value, string? Channel, string? Destination)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == EngineMetrics.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            string? channel = null, destination = null;
            foreach (var tag in tags)
            {
                channel = tag.Key == "channel" ? tag.Value as string : channel;
                destination = tag.Key == "destination" ? tag.Value as string : destination;
            }
            lock (measurements)
            {
                measurements.Add((instrument.Name, value, channel, destination));
            }
        });
        listener.Start();
        var destination = new ScriptedDestination(e => System.Text.Encoding.UTF8.GetString(e.Payload.Span) == "bad" ? DeliveryResult.Permanent("HTTP 400") : DeliveryResult.Delivered());
        await using (var fixture = await EngineFixture.StartAsync(EngineFixture.Channel("metrics-c", destinations: ("d", destination, null))))
        {
            var ids = new List<long>();
            for (var i = 0; i < 5; i++)
            {
                ids.Add(await fixture.SendAsync("metrics-c", "ok" + i));
            }
            ids.Add(await fixture.SendAsync("metrics-c", "bad"));
            await EngineFixture.WaitUntilAsync(async () => (await Task.WhenAll(ids.Select(i => fixture.StatusAsync(i, "d")))).All(s => s is DeliveryStatus.Delivered or DeliveryStatus.DeadLettered), "all settled");
        }

        // Engines of other tests keep recording on other threads; count from a copy taken under the lock.
        List<(string Name, long Value, string? Channel, string? Destination)> seen;
        lock (measurements)
        {
            seen = [.. measurements];
        }

        long Sum(string name) => seen.Where(m => m.Name == name && m.Channel == "metrics-c").Sum(m => m.Value);
        Assert.Equal(6, Sum("sinew.messages.received"));
        Assert.Equal(6, Sum("sinew.messages.accepted"));
        Assert.Equal(6, Sum("sinew.messages.processed"));
        Assert.Equal(5, Sum("sinew.deliveries.delivered"));
        Assert.Equal(1, Sum("sinew.deliveries.dead_lettered"));
        Assert.All(seen.Where(m => m.Channel == "metrics-c" && m.Name.StartsWith("sinew.deliveries", StringComparison.Ordinal)), m => Assert.Equal("d", m.Destination));
    }
}
