using Sinew.Fuzz;

// dotnet Sinew.Fuzz.dll TARGET          run under afl-fuzz (SharpFuzz out-of-process loop)
// dotnet Sinew.Fuzz.dll TARGET FILE...  replay inputs once each (a crasher reproduces with its exception); use an
//                                       uninstrumented build (fuzz/out): instrumented code needs afl-fuzz's shared memory
if (args.Length == 0 || !FuzzTargets.Names.Contains(args[0]))
{
    Console.Error.WriteLine($"usage: Sinew.Fuzz TARGET [FILE...]  (TARGET: {string.Join(", ", FuzzTargets.Names)})");
    return 2;
}
var target = args[0];
if (args.Length > 1)
{
    foreach (var file in args.Skip(1))
    {
        FuzzTargets.Run(target, File.ReadAllBytes(file));
    }
    return 0;
}
SharpFuzz.Fuzzer.OutOfProcess.Run(stream =>
{
    using var buffer = new MemoryStream();
    stream.CopyTo(buffer);
    FuzzTargets.Run(target, buffer.ToArray());
});
return 0;
