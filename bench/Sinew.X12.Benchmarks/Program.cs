using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Sinew.X12;
using Sinew.X12.Benchmarks;

// generate FILE MB   — write the generated 850 batch the peers also read
// stream MB OUT.json — validate a generated interchange of MB megabytes streamed from memory; report MB/s and peak memory
// quick OUT.json   — wall-clock and CPU-time MB/s of parse and validate on both inputs (the figures compared with peers)
// bdn OUT.json       — BenchmarkDotNet (ShortRun, MemoryDiagnoser) over the corpus mix and the generated file
// loop parse|validate SECONDS — repeat one operation on the generated file, for a profiler (perf with DOTNET_PerfMapEnabled=1)
// issues OUT.txt [N]  — full validation results of every corpus file, N seeded mutations of each (default 50) and the
//                      generated file, one line each: compare two dumps to prove a validator change gives identical results
var mode = args.Length > 0 ? args[0] : "bdn";
switch (mode)
{
    case "generate":
        InterchangeGenerator.WriteFile(args[1], long.Parse(args[2], CultureInfo.InvariantCulture) << 20);
        return 0;
    case "quick":
        Quick(args.Length > 1 ? args[1] : "x12-quick.json");
        return 0;
    case "loop":
        Loop(args[1], double.Parse(args[2], CultureInfo.InvariantCulture));
        return 0;
    case "issues":
        IssueDump.Write(args[1], args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 50);
        return 0;
    case "stream":
        return Stream(long.Parse(args[1], CultureInfo.InvariantCulture) << 20, args[2]);
    default:
        return Bdn(args.Length > 1 ? args[1] : "x12-dotnet.json");
}

// Parse and validate over the corpus mix and the generated file, timed by wall clock and by this process's CPU time:
// on a shared machine the CPU figure is the honest "per core" number, and the peers script measures the same way.
static void Quick(string output)
{
    var corpus = Inputs.CorpusFiles().Select(File.ReadAllBytes).ToArray();
    var generated = File.ReadAllBytes(Inputs.GeneratedFile);
    var options = new X12ValidationOptions { MaxRetainedSets = 1000 };
    var rows = new List<object>
    {
        Measure("parse", "corpus", corpus.Sum(b => (long)b.Length), 7, () => { foreach (var b in corpus) { X12Benchmarks.Parse(b); } }),
        Measure("validate", "corpus", corpus.Sum(b => (long)b.Length), 7, () => { foreach (var b in corpus) { new X12Validator(options).Validate(b); } }),
        Measure("parse", "generated", generated.Length, 5, () => X12Benchmarks.Parse(generated)),
        Measure("validate", "generated", generated.Length, 5, () => new X12Validator(options).Validate(generated)),
    };
    File.WriteAllText(output, JsonSerializer.Serialize(rows, new JsonSerializerOptions { WriteIndented = true }));
    Console.WriteLine(File.ReadAllText(output));
}

static void Loop(string operation, double seconds)
{
    var generated = File.ReadAllBytes(Inputs.GeneratedFile);
    var options = new X12ValidationOptions { MaxRetainedSets = 1000 };
    var stopwatch = Stopwatch.StartNew();
    var runs = 0;
    while (stopwatch.Elapsed.TotalSeconds < seconds)
    {
        if (operation == "parse")
        {
            X12Benchmarks.Parse(generated);
        }
        else
        {
            new X12Validator(options).Validate(generated);
        }
        runs++;
    }
    using var process = Process.GetCurrentProcess();
    Console.WriteLine($"{operation}: {runs} runs, {generated.Length * (double)runs / 1e6 / process.TotalProcessorTime.TotalSeconds:F0} MB per CPU second (whole process)");
}

static object Measure(string operation, string input, long bytes, int runs, Action action)
{
    // Warm up long enough for tiered JIT to reach optimized code (small corpus files would otherwise be timed at tier 0).
    var warmup = Stopwatch.StartNew();
    while (warmup.Elapsed < TimeSpan.FromSeconds(2))
    {
        action();
    }
    var wall = new List<double>();
    var cpu = new List<double>();
    using var process = Process.GetCurrentProcess();
    var allocated = GC.GetTotalAllocatedBytes(precise: true);
    for (var i = 0; i < runs; i++)
    {
        process.Refresh();
        var cpuBefore = process.TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        action();
        sw.Stop();
        process.Refresh();
        wall.Add(bytes / 1e6 / sw.Elapsed.TotalSeconds);
        cpu.Add(bytes / 1e6 / Math.Max((process.TotalProcessorTime - cpuBefore).TotalSeconds, 1e-6));
    }
    wall.Sort();
    cpu.Sort();
    return new
    {
        peer = "Sinew.X12",
        operation,
        input,
        bytes,
        mbPerSecondWall = wall[wall.Count / 2],
        mbPerSecondCpu = cpu[cpu.Count / 2],
        allocatedBytesPerRun = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / runs,
    };
}

static int Stream(long size, string output)
{
    using var self = Process.GetCurrentProcess();
    var cpuBefore = self.TotalProcessorTime;
    var stopwatch = Stopwatch.StartNew();
    var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
    var result = new X12Validator(new X12ValidationOptions { MaxRetainedSets = 1000 }).Validate(new InterchangeGenerator(size));
    stopwatch.Stop();
    using var process = Process.GetCurrentProcess();
    var cpuSeconds = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
    var report = new
    {
        bytes = result.ByteCount,
        segments = result.SegmentCount,
        errors = result.ErrorCount,
        seconds = stopwatch.Elapsed.TotalSeconds,
        mbPerSecondWall = result.ByteCount / 1e6 / stopwatch.Elapsed.TotalSeconds,
        mbPerSecondCpu = result.ByteCount / 1e6 / cpuSeconds,
        peakWorkingSetMb = process.PeakWorkingSet64 / 1e6,
        allocatedMb = (GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / 1e6,
        gen0 = GC.CollectionCount(0),
        gen2 = GC.CollectionCount(2),
    };
    File.WriteAllText(output, JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
    Console.WriteLine(File.ReadAllText(output));
    return result.ErrorCount == 0 ? 0 : 1;
}

static int Bdn(string output)
{
    var corpusBytes = Inputs.CorpusFiles().Sum(f => new FileInfo(f).Length);
    var generatedBytes = new FileInfo(Inputs.GeneratedFile).Length;
    // In-process: no child project build, so a run takes a couple of minutes on a shared 2-core machine.
    var config = DefaultConfig.Instance.AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance).WithId("ShortRun"));
    var summary = BenchmarkRunner.Run<X12Benchmarks>(config);
    var rows = summary.Reports.Select(r =>
    {
        var name = r.BenchmarkCase.Descriptor.WorkloadMethod.Name;
        var bytes = name.EndsWith("Corpus", StringComparison.Ordinal) ? corpusBytes : generatedBytes;
        var meanNs = r.ResultStatistics?.Mean ?? double.NaN;
        return new
        {
            benchmark = name,
            inputBytes = bytes,
            meanMs = meanNs / 1e6,
            mbPerSecond = bytes / 1e6 / (meanNs / 1e9),
            allocatedBytesPerOp = r.GcStats.GetBytesAllocatedPerOperation(r.BenchmarkCase),
        };
    }).ToList();
    File.WriteAllText(output, JsonSerializer.Serialize(rows, new JsonSerializerOptions { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals }));
    Console.WriteLine(File.ReadAllText(output));
    return 0;
}
