namespace Sinew.X12;
internal static class AssemblyMarker;
