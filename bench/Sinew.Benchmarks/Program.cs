using Sinew.Benchmarks;

// dotnet run -c Release --project bench/Sinew.Benchmarks -- journal [--seconds 5] [--out bench/results]
var mode = args.Length > 0 ? args[0] : "journal";
var seconds = ArgValue(args, "--seconds", 5);
var output = ArgText(args, "--out") ?? Path.Combine("bench", "results");
switch (mode)
{
    case "journal":
        await JournalAppendLoad.RunAsync(TimeSpan.FromSeconds(seconds), output);
        return 0;
    default:
        Console.Error.WriteLine("usage: Sinew.Benchmarks journal [--seconds N] [--out DIR]");
        return 2;
}

static int ArgValue(string[] args, string name, int fallback) =>
    ArgText(args, name) is { } text && int.TryParse(text, out var value) ? value : fallback;

static string? ArgText(string[] args, string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}
