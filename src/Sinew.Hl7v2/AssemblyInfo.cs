using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Sinew.Hl7v2.Tests")]
[assembly: InternalsVisibleTo("Sinew.Hl7v2.Benchmarks")]
