using Sinew.Core.Journal;

namespace Sinew.Core.Pipeline;

/// <summary>One message on its way through a channel's steps; steps read and change it.</summary>
public sealed class PipelineContext
{
    private readonly Dictionary<string, object?> _properties = new(StringComparer.Ordinal);

    public PipelineContext(StoredMessage message)
    {
        Message = message;
        Body = message.Body;
        ContentType = message.ContentType;
        PartitionKey = message.PartitionKey;
    }

    /// <summary>The message as the inbox holds it (raw bytes untouched).</summary>
    public StoredMessage Message { get; }

    public string Channel => Message.Channel;

    /// <summary>The current payload; a transform step replaces it.</summary>
    public ReadOnlyMemory<byte> Body { get; set; }

    public string ContentType { get; set; }

    /// <summary>Messages with the same key are delivered in order; null means the message stands alone.</summary>
    public string? PartitionKey { get; set; }

    /// <summary>The destinations to queue for; null means every destination of the channel.</summary>
    public ISet<string>? Route { get; set; }

    /// <summary>Values steps hand to later steps (e.g. a parsed message).</summary>
    public IDictionary<string, object?> Properties => _properties;
}
