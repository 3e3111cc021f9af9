namespace Sinew.Engine.Config;

/// <summary>The whole configuration: shared settings from <c>sinew.yaml</c> and every channel file.</summary>
public sealed record SinewConfig
{
    public required string Directory { get; init; }

    /// <summary>Address of the HTTP listener (admin API, health, HTTP sources), e.g. <c>127.0.0.1:8080</c>.</summary>
    public string HttpListen { get; init; } = "127.0.0.1:8080";

    /// <summary>Largest HTTP body accepted by any HTTP source, unless the channel says less.</summary>
    public long MaxBodyBytes { get; init; } = 10 * 1024 * 1024;

    /// <summary>How often retention runs.</summary>
    public TimeSpan RetentionInterval { get; init; } = TimeSpan.FromMinutes(10);

    public IReadOnlyList<ChannelConfig> Channels { get; init; } = [];

    /// <summary>Where traces and metrics are also pushed over OTLP; null for none (<c>/metrics</c> is always served).</summary>
    public Uri? OtlpEndpoint { get; init; }

    /// <summary><c>grpc</c> or <c>http</c> (http/protobuf).</summary>
    public string OtlpProtocol { get; init; } = "grpc";

    /// <summary>Where SLA breach and recovery alerts are POSTed as JSON; null for none.</summary>
    public Uri? AlertWebhook { get; init; }

    /// <summary>Send a reminder this often while a breach lasts; null for never.</summary>
    public TimeSpan? AlertRepeat { get; init; }

    /// <summary>How often SLAs are evaluated.</summary>
    public TimeSpan SlaInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary><c>text</c> (one line per entry) or <c>json</c> (structured, with trace and span ids).</summary>
    public string LogFormat { get; init; } = "text";

    /// <summary>Settings of modules with their own top-level section in <c>sinew.yaml</c> (<c>security</c>, <c>audit</c>, …), as each module read them.</summary>
    public IReadOnlyDictionary<string, object?> Sections { get; init; } = new Dictionary<string, object?>();

    /// <summary>The settings a module read from its section, or null when the module is not loaded.</summary>
    public T? Section<T>(string key) where T : class => Sections.GetValueOrDefault(key) as T;
}
