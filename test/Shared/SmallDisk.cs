using System.Diagnostics;

namespace Sinew.Testing;

/// <summary>
/// A tiny tmpfs mounted inside a test folder, so a test can fill the disk under Sinew's data folder and give space back.
/// Needs root (CI runs as root); <see cref="TryMount"/> says why not otherwise, for <c>Assert.SkipWhen</c>.
/// </summary>
internal sealed class SmallDisk : IDisposable
{
    public const string NeedsRoot = "needs root and tmpfs mounts to make a small disk (CI runs as root)";

    private SmallDisk(string path) => Path = path;

    public string Path { get; }

    /// <summary>Mounts a tmpfs of <paramref name="size"/> (e.g. <c>1m</c>) at <paramref name="path"/>; null when this machine can't.</summary>
    public static SmallDisk? TryMount(string path, string size)
    {
        Directory.CreateDirectory(path);
        return Environment.UserName == "root" && Run("mount", "-t", "tmpfs", "-o", $"size={size}", "tmpfs", path) == 0 ? new SmallDisk(path) : null;
    }

    /// <summary>Gives the disk a new size (more space: the disk "recovers").</summary>
    public void Resize(string size) => Assert.Equal(0, Run("mount", "-o", $"remount,size={size}", Path));

    public void Dispose() => Run("umount", "-l", Path);

    private static int Run(string command, params string[] args)
    {
        var info = new ProcessStartInfo(command) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        using var process = Process.Start(info)!;
        process.WaitForExit();
        return process.ExitCode;
    }
}
