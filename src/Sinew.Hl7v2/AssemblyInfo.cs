namespace Sinew.Hl7v2;
internal static class AssemblyMarker;
