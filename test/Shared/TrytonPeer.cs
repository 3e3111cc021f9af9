namespace Sinew.Testing;

/// <summary>A real Tryton server for tests (filled in by the Tryton work).</summary>
internal static class TrytonPeer;
