namespace Sinew.Security;

/// <summary>Creates files only their owner may read (mode 0600 on Unix): keys and the API key store.</summary>
internal static class OwnerOnlyFile
{
    public static FileStream Create(string path, FileMode mode)
    {
        var options = new FileStreamOptions { Mode = mode, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        return new FileStream(path, options);
    }
}
