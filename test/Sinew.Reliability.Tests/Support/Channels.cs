namespace Sinew.Reliability.Tests.Support;

/// <summary>Channel files the suites run: short timeouts and retries so a fault and its recovery fit in seconds.</summary>
internal static class Channels
{
    /// <summary>HTTP in, partitioned by <c>X-Partition-Key</c>, to an HTTP destination.</summary>
    public static string HttpToHttp(string name, int port, string retry = "{ maxAttempts: 100, initialDelay: 100ms, maxDelay: 1s }", string breaker = "{ failureRatio: 0.5, minimumThroughput: 100000, samplingDuration: 30s, breakDuration: 1s }", string timeout = "1s") => $"""
        name: {name}
        source:
          type: http
        partitionKey: header:X-Partition-Key
        destinations:
          - name: peer
            type: http
            maxSensitivity: phi
            url: http://127.0.0.1:{port}/deliver
            timeout: {timeout}
            concurrency: 4
            retry: {retry}
            circuitBreaker: {breaker}
        """;

    /// <summary>HTTP in (HL7 bodies), partitioned by PID-3.1, to an MLLP destination.</summary>
    public static string HttpToMllp(string name, int port) => $"""
        name: {name}
        source:
          type: http
        steps:
          - type: hl7
            partitionKey: PID-3.1
        destinations:
          - name: peer
            type: mllp
            maxSensitivity: phi
            to: 127.0.0.1:{port}
            responseTimeout: 1s
            connectTimeout: 1s
            timeout: 2s
            concurrency: 4
            retry: {"{"} maxAttempts: 100, initialDelay: 100ms, maxDelay: 1s {"}"}
            circuitBreaker: {"{"} failureRatio: 0.5, minimumThroughput: 100000, samplingDuration: 30s, breakDuration: 1s {"}"}
        """;

    /// <summary>An HL7 v2 message whose MSH-10 is <paramref name="control"/> and PID-3.1 is <paramref name="patient"/>.</summary>
    public static string Hl7(string control, string patient) =>
        $"MSH|^~\\&|REL|TEST|SINEW|HOSP|20261125120000||ADT^A08|{control}|P|2.5.1\rPID|1||{patient}^^^HOSP^MR||DOE^JANE\r";
}
