using System.Buffers;
using BenchmarkDotNet.Attributes;

namespace Sinew.Hl7v2.Benchmarks;

/// <summary>
/// Parse cost per message over the corpus mix (OperationsPerInvoke = messages in the mix, so every figure is per message):
/// parse and read MSH-9, PID-3.1, PID-5.1; parse and serialize; one field read of an already parsed message; parse, validate and build the ACK.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class ParseBenchmarks
{
    private const int MixSize = 402;
    private static readonly Hl7Path MessageType = Hl7Path.Parse("MSH-9");
    private static readonly Hl7Path PatientId = Hl7Path.Parse("PID-3.1");
    private static readonly Hl7Path FamilyName = Hl7Path.Parse("PID-5.1");
    private readonly ArrayBufferWriter<byte> output = new(1 << 20);
    private ReadOnlyMemory<byte>[] mix = [];
    private Hl7Message[] parsed = [];
    private Hl7ProfileSet profiles = Hl7ProfileSet.Empty();

    [GlobalSetup]
    public void Setup()
    {
        var messages = Hl7v2Mix.Load();
        if (messages.Length != MixSize)
        {
            throw new InvalidOperationException($"The mix has {messages.Length} messages, expected {MixSize}; update MixSize.");
        }
        mix = [.. messages.Select(m => new ReadOnlyMemory<byte>(m))];
        parsed = [.. mix.Select(m => Hl7Message.Parse(m).Message!)];
        profiles = Hl7ProfileSet.LoadBuiltIn();
    }

    [Benchmark(OperationsPerInvoke = MixSize)]
    public int ParseAndReadThreeFields()
    {
        var total = 0;
        foreach (var bytes in mix)
        {
            var message = Hl7Message.Parse(bytes).Message!;
            total += message.Get(MessageType).Span.Length + message.Get(PatientId).Span.Length + message.Get(FamilyName).Span.Length;
        }
        return total;
    }

    [Benchmark(OperationsPerInvoke = MixSize)]
    public int ParseAndSerialize()
    {
        output.ResetWrittenCount();
        foreach (var bytes in mix)
        {
            Hl7Message.Parse(bytes).Message!.WriteTo(output);
        }
        return output.WrittenCount;
    }

    [Benchmark(OperationsPerInvoke = MixSize * 3)]
    public int ReadFieldOfParsedMessage()
    {
        var total = 0;
        foreach (var message in parsed)
        {
            total += message.Get(MessageType).Span.Length + message.Get(PatientId).Span.Length + message.Get(FamilyName).Span.Length;
        }
        return total;
    }

    [Benchmark(OperationsPerInvoke = MixSize)]
    public int ValidateParsedMessage()
    {
        var total = 0;
        foreach (var message in parsed)
        {
            total += Hl7Validator.Validate(message, profiles).Count;
        }
        return total;
    }

    [Benchmark(OperationsPerInvoke = MixSize)]
    public int BuildAcceptAck()
    {
        var total = 0;
        foreach (var message in parsed)
        {
            total += AckBuilder.Build(message, AckCode.ApplicationAccept).Length;
        }
        return total;
    }

    [Benchmark(OperationsPerInvoke = MixSize)]
    public int ParseValidateAndAck()
    {
        var total = 0;
        foreach (var bytes in mix)
        {
            var result = Hl7Message.Parse(bytes);
            var message = result.Message!;
            var issues = Hl7Validator.Validate(message, profiles);
            total += AckBuilder.Build(message, AckBuilder.CodeFor(message, issues), issues).Length;
        }
        return total;
    }
}
