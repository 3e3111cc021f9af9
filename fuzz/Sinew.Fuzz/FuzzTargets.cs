using System.Buffers;
using System.Reflection;
using Sinew.Fhir.Parsing;
using Sinew.Fhir.Validation;
using Sinew.Hl7v2;
using Sinew.X12;

namespace Sinew.Fuzz;

/// <summary>
/// What the fuzzers feed: each target takes arbitrary bytes through a parser the way Sinew's intake does, and throws
/// only when the parser broke its promise (an exception out of a parse that should report issues, or a lossy round
/// trip). The same code replays the kept crashers in the reliability tests.
/// </summary>
public static class FuzzTargets
{
    public static IReadOnlyList<string> Names { get; } = ["hl7", "mllp", "x12", "fhir"];

    public static void Run(string target, byte[] input)
    {
        switch (target)
        {
            case "hl7":
                Hl7(input);
                break;
            case "mllp":
                Mllp(input);
                break;
            case "x12":
                X12(input);
                break;
            case "fhir":
                Fhir(input);
                break;
            default:
                throw new ArgumentException($"unknown fuzz target '{target}' (hl7, mllp, x12, fhir)", nameof(target));
        }
    }

    /// <summary>HL7 v2: parse, serialize, parse again; the second serialization must equal the first.</summary>
    public static void Hl7(byte[] input)
    {
        var first = Hl7Message.Parse(input).Message;
        if (first is null)
        {
            return;
        }
        var written = new ArrayBufferWriter<byte>();
        first.WriteTo(written);
        var bytes = written.WrittenSpan.ToArray();
        var second = Hl7Message.Parse(bytes).Message ?? throw new InvalidOperationException("a serialized message no longer parses");
        var again = new ArrayBufferWriter<byte>();
        second.WriteTo(again);
        if (!again.WrittenSpan.SequenceEqual(bytes))
        {
            throw new InvalidOperationException("serialize(parse(serialize(x))) differs from serialize(x)");
        }
    }

    private static readonly Type Scanner = typeof(Sinew.Mllp.MllpFraming).Assembly.GetType("Sinew.Mllp.MllpFrameScanner", throwOnError: true)!;
    private static readonly MethodInfo TryRead = Scanner.GetMethod("TryRead")!;
    private const int TooLarge = 2; // MllpScanStatus.TooLarge

    /// <summary>
    /// MLLP framing: the listener's frame scanner (internal, so reached by reflection) fed the input in pieces whose
    /// sizes come from the input, as TCP delivers it; every byte must end up in a frame, as garbage, or still pending.
    /// </summary>
    public static void Mllp(byte[] input)
    {
        var scanner = Activator.CreateInstance(Scanner)!;
        var pending = new List<byte>();
        var offset = 0;
        var piece = 1;
        long accounted = 0;
        while (offset < input.Length)
        {
            var take = Math.Min(input.Length - offset, 1 + (input[offset] % 64) * piece);
            piece = piece % 7 + 1;
            pending.AddRange(input.AsSpan(offset, take));
            offset += take;
            while (true)
            {
                var before = pending.Count;
                object?[] args = [new ReadOnlySequence<byte>(pending.ToArray()), 256, null, null];
                var status = (int)TryRead.Invoke(scanner, args)!;
                var rest = (ReadOnlySequence<byte>)args[0]!;
                var payload = (ReadOnlySequence<byte>)args[2]!;
                var garbage = (long)args[3]!;
                var consumed = before - rest.Length;
                if (status == TooLarge)
                {
                    // The listener answers AR and closes the connection here: the payload is the start of the frame, unconsumed.
                    if (consumed < 0 || payload.Length > before || payload.Length < 256)
                    {
                        throw new InvalidOperationException($"too-large frame reported with a {payload.Length}-byte start out of {before} bytes");
                    }
                    return;
                }
                if (consumed < 0 || payload.Length > consumed || garbage > consumed)
                {
                    throw new InvalidOperationException($"scanner consumed {consumed} bytes but reported a {payload.Length}-byte payload and {garbage} garbage");
                }
                accounted += consumed;
                pending = [.. rest.ToArray()];
                if (status == 0 || consumed == 0)
                {
                    break;
                }
            }
        }
        if (accounted + pending.Count != input.Length)
        {
            throw new InvalidOperationException($"{input.Length} bytes in, {accounted} consumed and {pending.Count} pending");
        }
    }

    /// <summary>X12: the full validator (reader, envelope checks, structure) over the bytes.</summary>
    public static void X12(byte[] input) => new X12Validator().Validate(input);

    /// <summary>FHIR intake: JSON and XML parsing with the intake's depth limit, then validation of what parsed.</summary>
    public static void Fhir(byte[] input)
    {
        foreach (var format in new[] { FhirFormat.Json, FhirFormat.Xml })
        {
            var result = FhirParser.Parse(input, format, maxDepth: 64);
            if (result.Resource is { } resource)
            {
                FhirValidator.Validate(resource);
            }
        }
    }
}
