namespace Sinew.Testing;

/// <summary>What files hold on disk right now, for canary checks: read even while a process still has them open (a live SQLite database and its WAL).</summary>
internal static class DiskBytes
{
    public static byte[] Of(IEnumerable<string> files) =>
        files.SelectMany(file =>
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray();
        }).ToArray();
}
