using System.Diagnostics;

namespace Sinew.Engine.Telemetry;

/// <summary>
/// The trace of a message: one trace per message across its source, the journal, each step and each delivery attempt.
/// Span attributes carry ids and names only (message id, channel, destination, step, outcome), never content.
/// </summary>
public static class SinewActivity
{
    public const string SourceName = "Sinew";

    public static ActivitySource Source { get; } = new(SourceName, "1.0");

    /// <summary>Starts a span that continues the trace stored with a message (its W3C traceparent).</summary>
    public static Activity? StartFromStored(string name, string? traceParent, ActivityKind kind = ActivityKind.Internal)
    {
        if (traceParent is not null && ActivityContext.TryParse(traceParent, null, out var parent))
        {
            return Source.StartActivity(name, kind, parent);
        }
        return Source.StartActivity(name, kind);
    }

    /// <summary>The W3C traceparent of a span, to store with the message.</summary>
    public static string? TraceParentOf(Activity? activity) =>
        activity is null ? null : $"00-{activity.TraceId.ToHexString()}-{activity.SpanId.ToHexString()}-{(activity.Recorded ? "01" : "00")}";

    /// <summary>Tags the outcome; failures get error status without a description, since reasons may quote content.</summary>
    public static void SetOutcome(this Activity? activity, string outcome)
    {
        if (activity is null)
        {
            return;
        }
        activity.SetTag("sinew.outcome", outcome);
        if (outcome is "failed" or "dead-lettered" or "rejected" or "retry")
        {
            activity.SetStatus(ActivityStatusCode.Error);
        }
    }
}
