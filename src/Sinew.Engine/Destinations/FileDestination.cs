using Sinew.Core.Delivery;
using Sinew.Core.Journal;
using Sinew.Engine.Config;

namespace Sinew.Engine.Destinations;

/// <summary>
/// Writes each message to its own file named by its idempotency key: written to a temporary name, flushed to disk,
/// then renamed, so a reader never sees half a file and a repeat finds the file already there.
/// </summary>
public sealed class FileDestination(string folder, string? extension) : IDestination
{
    public static IDestination? Create(ConfigSection settings, ConnectorContext context)
    {
        var path = settings.GetString("path", required: true);
        var extension = settings.GetString("extension");
        if (extension is not null && (extension.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || extension.Contains("..", StringComparison.Ordinal)))
        {
            settings.Error("extension", "must be a plain file extension such as .hl7");
            return null;
        }
        return path is null ? null : new FileDestination(context.ResolveDataPath(path), extension);
    }

    public async ValueTask<DeliveryResult> DeliverAsync(OutboxEntry entry, CancellationToken cancellationToken)
    {
        var name = entry.IdempotencyKey + (extension ?? ExtensionFor(entry.ContentType));
        var target = Path.Combine(folder, name);
        if (File.Exists(target))
        {
            return DeliveryResult.Delivered("already delivered: " + name);
        }
        var temporary = Path.Combine(folder, "." + name + ".tmp");
        try
        {
            Directory.CreateDirectory(folder);
            await using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous))
            {
                await stream.WriteAsync(entry.Payload, cancellationToken);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, target, overwrite: false);
            return DeliveryResult.Delivered("written " + name);
        }
        catch (IOException) when (File.Exists(target))
        {
            TryDelete(temporary);
            return DeliveryResult.Delivered("already delivered: " + name);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            TryDelete(temporary);
            return DeliveryResult.Transient($"cannot write to {folder}: {ex.GetType().Name}: {ex.Message}");
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left for the operator; a stray temporary file is never mistaken for a delivery.
        }
    }

    /// <summary>A file extension for a media type: <c>.hl7</c>, <c>.json</c>, <c>.xml</c>, <c>.x12</c>, <c>.csv</c>, <c>.txt</c> or <c>.dat</c>.</summary>
    public static string ExtensionFor(string contentType) => contentType switch
    {
        _ when contentType.Contains("hl7-v2", StringComparison.OrdinalIgnoreCase) => ".hl7",
        _ when contentType.Contains("json", StringComparison.OrdinalIgnoreCase) => ".json",
        _ when contentType.Contains("xml", StringComparison.OrdinalIgnoreCase) => ".xml",
        _ when contentType.Contains("edi-x12", StringComparison.OrdinalIgnoreCase) => ".x12",
        _ when contentType.Contains("csv", StringComparison.OrdinalIgnoreCase) => ".csv",
        _ when contentType.StartsWith("text/", StringComparison.OrdinalIgnoreCase) => ".txt",
        _ => ".dat",
    };

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
