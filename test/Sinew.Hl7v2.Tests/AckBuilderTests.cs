using System.Text;

namespace Sinew.Hl7v2.Tests;

public sealed class AckBuilderTests
{
    private static readonly AckOptions FixedOptions = new()
    {
        Clock = new FixedClock(new DateTimeOffset(2024, 2, 1, 10, 30, 0, TimeSpan.Zero)),
        ControlIdFactory = () => "ACK0001",
    };

    private static Hl7Message Inbound(string msh15And16 = "") =>
        Hl7Message.Parse(Encoding.ASCII.GetBytes($"MSH|^~\\&|LAB|HOSP|SINEW|ERP|20240131123000||ORU^R01^ORU_R01|MSG42|P|2.5.1|||{msh15And16}\rPID|1||1||A^B\r")).Message!;

    private static string Text(byte[] bytes) => Encoding.ASCII.GetString(bytes);

    [Fact]
    public void Build_OriginalModeAccept_MirrorsHeaderAndAcknowledgesControlId()
    {
        var ack = Text(AckBuilder.Build(Inbound(), AckCode.ApplicationAccept, options: FixedOptions));

        Assert.Equal("MSH|^~\\&|SINEW|ERP|LAB|HOSP|20240201103000+0000||ACK^R01^ACK|ACK0001|P|2.5.1\rMSA|AA|MSG42\r", ack);
    }

    [Theory]
    [InlineData("MSH|^~\\&|LAB|HOSP|SINEW|ERP|20240131123000||ORU^R01^ORU_R01|MSG42|P|2.5.1\rPID|1\r")]
    [InlineData("MSH|^~\\&|LAB|HOSP|SINEW|ERP|20240131123000||ADT^A01|C1|P|2.5|||AL|NE\r")]
    [InlineData("MSH|^~\\&|L\\F\\AB|H^O^S|||20240131123000||ADT^A08|X|T|2.7|||||||UNICODE UTF-8~8859/1\r")]
    [InlineData("MSH#$%*@|LAB|HOSP|SINEW|ERP|20240131123000||ORU$R01|Z9|P|2.3\rOBX#1\r")]
    [InlineData("MSH|^~\\&|LAB|HOSP|SINEW|ERP|20240131123000||ORU^R01|||2.5.1\r")]
    [InlineData("MSH|^~\\&|||||||||\r")]
    public void Build_WithoutErrSegments_WritesTheSameBytesAsTheAckMessageSerialized(string inbound)
    {
        var message = Hl7Message.Parse(Encoding.Latin1.GetBytes(inbound)).Message!;
        foreach (var code in new[] { AckCode.ApplicationAccept, AckCode.CommitAccept, AckCode.ApplicationReject })
        {
            var info = new Hl7Issue(Hl7IssueCode.NoProfileForMessageType, Hl7Severity.Information, Hl7Location.Message, "ignored");

            var direct = AckBuilder.Build(message, code, [info], FixedOptions);

            Assert.Equal(Text(AckBuilder.BuildMessage(message, code, [info], FixedOptions).ToArray()), Text(direct));
        }
    }

    [Fact]
    public void Build_WithIssues_WritesErrSegmentsWithLocationCodeAndSeverity()
    {
        var issues = new[]
        {
            new Hl7Issue(Hl7IssueCode.RequiredFieldMissing, Hl7Severity.Error, new Hl7Location("PID", 1, 3), "PID-3 is required but empty."),
            new Hl7Issue(Hl7IssueCode.ValueTooLong, Hl7Severity.Warning, new Hl7Location("OBX", 2, 5, 1), "too long"),
            new Hl7Issue(Hl7IssueCode.NoProfileForMessageType, Hl7Severity.Information, Hl7Location.Message, "ignored"),
        };

        var ack = Hl7Message.Parse(AckBuilder.Build(Inbound(), AckCode.ApplicationError, issues, FixedOptions)).Message!;

        Assert.Equal("AE", ack.Get(Hl7Path.Parse("MSA-1")).ToString());
        Assert.Equal(2, ack.CountOf("ERR"u8));
        Assert.Equal("PID^1^3", ack.Get(Hl7Path.Parse("ERR-2")).ToString().TrimEnd('^'));
        Assert.Equal("101^Required field missing^HL70357", ack.Get(Hl7Path.Parse("ERR-3")).ToString());
        Assert.Equal("E", ack.Get(Hl7Path.Parse("ERR-4")).ToString());
        Assert.Equal("OBX^2^5^1", ack.Get(Hl7Path.Parse("ERR[2]-2")).ToString().TrimEnd('^'));
        Assert.Equal("102", ack.Get(Hl7Path.Parse("ERR[2]-3.1")).ToString());
        Assert.Equal("W", ack.Get(Hl7Path.Parse("ERR[2]-4")).ToString());
        Assert.Contains("RequiredFieldMissing", ack.Get(Hl7Path.Parse("ERR-8")).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Build_Version23_UsesErr1ErrorCodeAndLocation()
    {
        var inbound = Hl7Message.Parse(Encoding.ASCII.GetBytes("MSH|^~\\&|A|B|C|D|20240131||ADT^A01|X1|P|2.3\r")).Message!;
        var issue = new Hl7Issue(Hl7IssueCode.RequiredFieldMissing, Hl7Severity.Error, new Hl7Location("PID", 1, 5), "x");

        var ack = Text(AckBuilder.Build(inbound, AckCode.ApplicationError, [issue], FixedOptions));

        Assert.EndsWith("MSA|AE|X1\rERR|PID^1^5^101&Required field missing&HL70357\r", ack, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_EnhancedMode_UsesCommitCodesAndAsksForNoAckOfTheAck()
    {
        var inbound = Inbound("AL|NE");

        var code = AckBuilder.CodeFor(inbound, []);
        var ack = Hl7Message.Parse(AckBuilder.Build(inbound, code, options: FixedOptions)).Message!;

        Assert.Equal(AckMode.Enhanced, AckBuilder.ModeOf(inbound));
        Assert.Equal(AckCode.CommitAccept, code);
        Assert.Equal("CA", ack.Get(Hl7Path.Parse("MSA-1")).ToString());
        Assert.Equal("NE", ack.Get(Hl7Path.Parse("MSH-15")).ToString());
        Assert.Equal("NE", ack.Get(Hl7Path.Parse("MSH-16")).ToString());
    }

    [Theory]
    [InlineData("", AckCode.ApplicationAccept, true)]
    [InlineData("AL", AckCode.CommitAccept, true)]
    [InlineData("NE", AckCode.CommitAccept, false)]
    [InlineData("ER", AckCode.CommitAccept, false)]
    [InlineData("ER", AckCode.CommitError, true)]
    [InlineData("SU", AckCode.CommitAccept, true)]
    [InlineData("SU", AckCode.CommitReject, false)]
    public void ShouldSend_FollowsMsh15(string msh15, AckCode code, bool expected)
    {
        Assert.Equal(expected, AckBuilder.ShouldSend(Inbound(msh15.Length > 0 ? msh15 + "|AL" : string.Empty), code));
    }

    [Theory]
    [InlineData("", AckCode.ApplicationAccept, true)]
    [InlineData("AL|AL", AckCode.ApplicationAccept, true)]
    [InlineData("AL|NE", AckCode.ApplicationAccept, false)]
    [InlineData("AL|", AckCode.ApplicationAccept, false)]
    [InlineData("AL|ER", AckCode.ApplicationError, true)]
    [InlineData("AL|ER", AckCode.ApplicationAccept, false)]
    [InlineData("AL|SU", AckCode.ApplicationAccept, true)]
    public void ShouldSendApplicationAck_FollowsMsh16(string msh15And16, AckCode code, bool expected)
    {
        Assert.Equal(expected, AckBuilder.ShouldSendApplicationAck(Inbound(msh15And16), code));
    }

    [Fact]
    public void CodeFor_ErrorIssue_GivesApplicationErrorInOriginalMode()
    {
        var issue = new Hl7Issue(Hl7IssueCode.DataTypeError, Hl7Severity.Error, new Hl7Location("OBX", 1, 5), "x");

        Assert.Equal(AckCode.ApplicationError, AckBuilder.CodeFor(Inbound(), [issue]));
        Assert.Equal(AckCode.ApplicationAccept, AckBuilder.CodeFor(Inbound(), [issue with { Severity = Hl7Severity.Warning }]));
    }

    [Fact]
    public void BuildForUnparsable_BrokenDelimiters_SalvagesHeaderFieldsAndRejects()
    {
        var bytes = Encoding.ASCII.GetBytes("MSH|&&&&|LAB|HOSP|SINEW|ERP|20240131||ORU^R01|C77|P|2.5.1\rPID|broken\r");
        var parsed = Hl7Message.Parse(bytes);

        var ack = Hl7Message.Parse(AckBuilder.BuildForUnparsable(bytes, parsed.Issues, FixedOptions)).Message!;

        Assert.Equal("AR", ack.Get(Hl7Path.Parse("MSA-1")).ToString());
        Assert.Equal("C77", ack.Get(Hl7Path.Parse("MSA-2")).ToString());
        Assert.Equal("LAB", ack.Get(Hl7Path.Parse("MSH-5")).ToString());
        Assert.Equal("102", ack.Get(Hl7Path.Parse("ERR-3.1")).ToString());
    }

    [Fact]
    public void BuildForUnparsable_NoHeaderAtAll_StillGivesAWellFormedReject()
    {
        var bytes = Encoding.ASCII.GetBytes("this is not hl7");
        var parsed = Hl7Message.Parse(bytes);

        var ackBytes = AckBuilder.BuildForUnparsable(bytes, parsed.Issues, FixedOptions);
        var ack = Hl7Message.Parse(ackBytes);

        Assert.True(ack.Succeeded);
        Assert.Equal("AR", ack.Message!.Get(Hl7Path.Parse("MSA-1")).ToString());
        Assert.Equal("SINEW", ack.Message.Get(Hl7Path.Parse("MSH-3")).ToString());
        Assert.Equal("101", ack.Message.Get(Hl7Path.Parse("ERR-3.1")).ToString());
    }

    [Fact]
    public void Build_CustomDelimiters_AreKeptInTheAck()
    {
        var inbound = Hl7Message.Parse(Encoding.ASCII.GetBytes("MSH*:!$%*A*B*C*D*20240131**ADT:A01*X9*P*2.5.1\r")).Message!;

        var ack = Text(AckBuilder.Build(inbound, AckCode.ApplicationAccept, options: FixedOptions));

        Assert.StartsWith("MSH*:!$%*C*D*A*B*", ack, StringComparison.Ordinal);
        Assert.Contains("*ACK:A01:ACK*ACK0001*P*2.5.1\rMSA*AA*X9\r", ack, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_InboundFieldContinuedOnNextLine_NeverSplitsTheAck()
    {
        // Found by RobustnessTests: a tolerated line break inside MSH-10 was copied into MSA-2 and forged a segment.
        var inbound = Hl7Message.Parse(Encoding.ASCII.GetBytes("MSH|^~\\&|A|B|C|D|1||ADT^A01|AB\nC\rPV1|1\r")).Message!;

        var ack = Hl7Message.Parse(AckBuilder.Build(inbound, AckCode.ApplicationAccept, options: FixedOptions)).Message!;

        Assert.Equal(2, ack.SegmentCount);
        Assert.Equal("ABC", ack.Get(Hl7Path.Parse("MSA-2")).ToString());
    }

    [Fact]
    public void SetRaw_BytesWithLineBreak_AreRefused()
    {
        var message = Inbound();

        Assert.Throws<ArgumentException>(() => message.SetRaw(Hl7Path.Parse("PID-3"), "1\rZZZ|x"u8));
    }

    [Fact]
    public void Build_TimestampFollowsTheClock_AcrossSecondsAndClocks()
    {
        var clock = new FixedClock(new DateTimeOffset(2024, 2, 1, 10, 30, 0, TimeSpan.Zero));
        var options = FixedOptions with { Clock = clock };
        var other = FixedOptions with { Clock = new FixedClock(new DateTimeOffset(2025, 6, 1, 8, 0, 0, TimeSpan.Zero)) };

        var first = Text(AckBuilder.Build(Inbound(), AckCode.ApplicationAccept, options: options));
        clock.Now = clock.Now.AddMilliseconds(400);
        var sameSecond = Text(AckBuilder.Build(Inbound(), AckCode.ApplicationAccept, options: options));
        clock.Now = clock.Now.AddMilliseconds(700);
        var nextSecond = Text(AckBuilder.Build(Inbound(), AckCode.ApplicationAccept, options: options));
        var otherClock = Text(AckBuilder.Build(Inbound(), AckCode.ApplicationAccept, options: other));

        Assert.Contains("|20240201103000+0000|", first, StringComparison.Ordinal);
        Assert.Contains("|20240201103000+0000|", sameSecond, StringComparison.Ordinal);
        Assert.Contains("|20240201103001+0000|", nextSecond, StringComparison.Ordinal);
        Assert.Contains("|20250601080000+0000|", otherClock, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_DefaultControlIds_AreTwentyUpperHexDigits_DistinctAcrossAcks_WithOneProcessPrefix()
    {
        var ids = Enumerable.Range(0, 1000)
            .Select(_ => Text(AckBuilder.Build(Inbound(), AckCode.ApplicationAccept)).Split('\r')[0].Split('|')[9])
            .ToList();

        Assert.All(ids, id => Assert.Matches("^[0-9A-F]{20}$", id));
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Single(ids.Select(id => id[..8]).Distinct());
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;

        public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
    }
}
