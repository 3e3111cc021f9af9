using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Sinew.Hl7v2.Benchmarks.ParseBenchmarks).Assembly).Run(args);
