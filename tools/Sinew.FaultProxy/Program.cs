using System.Net;
using Sinew.FaultProxy;

// sinew-fault-proxy --listen 127.0.0.1:9000 --target 127.0.0.1:2575 [--mode black-hole] [--latency 200ms] ...
// Then type new settings on standard input, one line at a time (e.g. "--mode pass-through"); an empty line or EOF keeps running.
if (args.Length == 0 || args.Contains("--help"))
{
    Console.WriteLine("""
        sinew-fault-proxy --listen HOST:PORT --target HOST:PORT [--mode pass-through|reset-after-bytes|black-hole|half-open|refuse]
                          [--latency 200ms] [--jitter 50ms] [--bandwidth BYTES_PER_S] [--reset-after BYTES]
        While it runs, each line on standard input changes the settings the same way, e.g. "--mode black-hole".
        """);
    return args.Length == 0 ? 2 : 0;
}
string? Value(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
if (!IPEndPoint.TryParse(Value("--listen") ?? "", out var listen) || !IPEndPoint.TryParse(Value("--target") ?? "", out var target))
{
    Console.Error.WriteLine("sinew-fault-proxy: --listen and --target must both be IP:PORT, e.g. --listen 127.0.0.1:9000 --target 127.0.0.1:2575");
    return 2;
}
var settings = FaultCommand.Apply(FaultSettings.PassThrough, args, out var errors);
if (errors.Count > 0)
{
    Console.Error.WriteLine("sinew-fault-proxy: " + string.Join("; ", errors));
    return 2;
}
await using var proxy = new FaultProxy(listen, target) { Settings = settings };
Console.WriteLine($"sinew-fault-proxy listening on {listen.Address}:{proxy.Port} -> {target}: {settings}");
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
_ = Task.Run(async () =>
{
    while (await Console.In.ReadLineAsync(stop.Token) is { } line)
    {
        if (line.Trim().Length == 0)
        {
            continue;
        }
        proxy.Settings = FaultCommand.Apply(proxy.Settings, line.Split(' ', StringSplitOptions.RemoveEmptyEntries), out var lineErrors);
        Console.WriteLine(lineErrors.Count == 0 ? $"now: {proxy.Settings}" : "refused: " + string.Join("; ", lineErrors));
    }
});
try
{
    await Task.Delay(Timeout.Infinite, stop.Token);
}
catch (OperationCanceledException)
{
}
return 0;
