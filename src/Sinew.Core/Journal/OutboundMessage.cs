namespace Sinew.Core.Journal;

/// <summary>What the pipeline queues for one destination.</summary>
/// <param name="Destination">The destination's name within the channel.</param>
/// <param name="PartitionKey">Messages with the same key are delivered in order.</param>
/// <param name="ContentType">Media type of <paramref name="Payload"/>.</param>
/// <param name="Payload">The bytes to send.</param>
public sealed record OutboundMessage(string Destination, string PartitionKey, string ContentType, ReadOnlyMemory<byte> Payload);
