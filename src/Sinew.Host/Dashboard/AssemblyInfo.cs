using System.Runtime.CompilerServices;

// The dashboard's encoder, line-ending rules and throughput buckets are tested directly.
[assembly: InternalsVisibleTo("Sinew.Dashboard.Tests")]
