using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Sinew.Engine.Config;
using Sinew.Engine.Telemetry;

namespace Sinew.Host;

/// <summary>OpenTelemetry for the process: Sinew's traces and metrics, Prometheus at <c>/metrics</c>, OTLP when configured.</summary>
internal static class Telemetry
{
    public static readonly string[] Meters = [EngineMetrics.MeterName, "Sinew.Journal", "Sinew.Mllp"];

    public static void AddSinewTelemetry(IServiceCollection services, SinewConfig config)
    {
        var otel = services.AddOpenTelemetry().ConfigureResource(r => r.AddService("sinew"));
        otel.WithMetrics(metrics =>
        {
            metrics.AddMeter(Meters).AddPrometheusExporter();
            if (config.OtlpEndpoint is { } endpoint)
            {
                metrics.AddOtlpExporter(o => Configure(o, endpoint, config.OtlpProtocol));
            }
        });
        otel.WithTracing(tracing =>
        {
            tracing.AddSource(SinewActivity.SourceName);
            if (config.OtlpEndpoint is { } endpoint)
            {
                tracing.AddOtlpExporter(o => Configure(o, endpoint, config.OtlpProtocol));
            }
        });
    }

    private static void Configure(OtlpExporterOptions options, Uri endpoint, string protocol)
    {
        options.Endpoint = endpoint;
        options.Protocol = protocol == "http" ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
    }
}
