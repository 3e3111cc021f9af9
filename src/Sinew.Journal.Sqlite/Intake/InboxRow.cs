using System.Buffers.Binary;
using System.Text;

namespace Sinew.Journal.Sqlite.Intake;

/// <summary>
/// The values of one inbox row as the journal stores them (blobs already sealed when the journal has keys), and their
/// compact binary form in the intake log.
/// </summary>
internal sealed class InboxRow
{
    private const byte FormatVersion = 1;

    public required string Channel { get; init; }
    public required string Source { get; init; }
    public required string ContentType { get; init; }
    public long ReceivedAtMs { get; init; }
    public int Status { get; init; }
    public string? ControlId { get; init; }
    public string? DedupeKey { get; set; }
    public long? DedupeWindowMs { get; init; }
    public string? PartitionKey { get; init; }
    public string? Error { get; init; }
    public long BodyLength { get; init; }
    public required byte[] Body { get; init; }
    public byte[]? Response { get; init; }
    public string? TraceParent { get; init; }
    public string? KeyId { get; init; }
    public byte[]? WrappedKey { get; init; }

    public byte[] Encode()
    {
        var size = 1 + 8 + 4 + 8 + 8 + 8
            + Size(Channel) + Size(Source) + Size(ContentType) + Size(ControlId) + Size(DedupeKey) + Size(PartitionKey)
            + Size(Error) + Size(TraceParent) + Size(KeyId) + Size(Body) + Size(Response) + Size(WrappedKey);
        var bytes = new byte[size];
        var span = bytes.AsSpan();
        span[0] = FormatVersion;
        span = span[1..];
        BinaryPrimitives.WriteInt64LittleEndian(span, ReceivedAtMs);
        BinaryPrimitives.WriteInt32LittleEndian(span[8..], Status);
        BinaryPrimitives.WriteInt64LittleEndian(span[12..], DedupeWindowMs ?? -1);
        BinaryPrimitives.WriteInt64LittleEndian(span[20..], BodyLength);
        BinaryPrimitives.WriteInt64LittleEndian(span[28..], 0); // reserved
        span = span[36..];
        Put(ref span, Channel);
        Put(ref span, Source);
        Put(ref span, ContentType);
        Put(ref span, ControlId);
        Put(ref span, DedupeKey);
        Put(ref span, PartitionKey);
        Put(ref span, Error);
        Put(ref span, TraceParent);
        Put(ref span, KeyId);
        Put(ref span, Body);
        Put(ref span, Response);
        Put(ref span, WrappedKey);
        return bytes;
    }

    public static InboxRow Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 37 || bytes[0] != FormatVersion)
        {
            throw new InvalidDataException($"intake record format {(bytes.Length == 0 ? -1 : bytes[0])} is not one this Sinew reads ({FormatVersion})");
        }
        var span = bytes[1..];
        var receivedAt = BinaryPrimitives.ReadInt64LittleEndian(span);
        var status = BinaryPrimitives.ReadInt32LittleEndian(span[8..]);
        var window = BinaryPrimitives.ReadInt64LittleEndian(span[12..]);
        var bodyLength = BinaryPrimitives.ReadInt64LittleEndian(span[20..]);
        span = span[36..];
        return new InboxRow
        {
            ReceivedAtMs = receivedAt,
            Status = status,
            DedupeWindowMs = window < 0 ? null : window,
            BodyLength = bodyLength,
            Channel = GetString(ref span)!,
            Source = GetString(ref span)!,
            ContentType = GetString(ref span)!,
            ControlId = GetString(ref span),
            DedupeKey = GetString(ref span),
            PartitionKey = GetString(ref span),
            Error = GetString(ref span),
            TraceParent = GetString(ref span),
            KeyId = GetString(ref span),
            Body = GetBytes(ref span)!,
            Response = GetBytes(ref span),
            WrappedKey = GetBytes(ref span),
        };
    }

    private static int Size(string? value) => 4 + (value is null ? 0 : Encoding.UTF8.GetByteCount(value));

    private static int Size(byte[]? value) => 4 + (value?.Length ?? 0);

    private static void Put(ref Span<byte> span, string? value)
    {
        if (value is null)
        {
            BinaryPrimitives.WriteInt32LittleEndian(span, -1);
            span = span[4..];
            return;
        }
        var written = Encoding.UTF8.GetBytes(value, span[4..]);
        BinaryPrimitives.WriteInt32LittleEndian(span, written);
        span = span[(4 + written)..];
    }

    private static void Put(ref Span<byte> span, byte[]? value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(span, value?.Length ?? -1);
        span = span[4..];
        if (value is not null)
        {
            value.CopyTo(span);
            span = span[value.Length..];
        }
    }

    private static ReadOnlySpan<byte> Take(ref ReadOnlySpan<byte> span, out bool isNull)
    {
        var length = BinaryPrimitives.ReadInt32LittleEndian(span);
        span = span[4..];
        isNull = length < 0;
        if (isNull)
        {
            return default;
        }
        var value = span[..length];
        span = span[length..];
        return value;
    }

    private static string? GetString(ref ReadOnlySpan<byte> span)
    {
        var value = Take(ref span, out var isNull);
        return isNull ? null : Encoding.UTF8.GetString(value);
    }

    private static byte[]? GetBytes(ref ReadOnlySpan<byte> span)
    {
        var value = Take(ref span, out var isNull);
        return isNull ? null : value.ToArray();
    }
}
