using System.Text;

namespace Sinew.X12.Tests;

public sealed class AckTests
{
    private static readonly X12AckSettings Settings = new() { InterchangeControlNumber = 77, GroupControlNumber = 5, Timestamp = new DateTime(2024, 2, 1, 8, 30, 0) };

    private static string Text(byte[] bytes) => Encoding.Latin1.GetString(bytes);

    [Fact]
    public void Build997_AcceptedPurchaseOrder_AcknowledgesSetAndGroup()
    {
        var received = Fixtures.Validate(Fixtures.Po850()).Interchanges[0];
        var ack = Text(X12AckWriter.Build997(received, Settings));
        Assert.StartsWith("ISA*00*          *00*          *ZZ*SUPPLIER       *ZZ*BUYER          *240201*0830*U*00401*000000077*0*P*:~", ack);
        Assert.Contains("GS*FA*SUPPLIER*BUYER*20240201*0830*5*X*004010~ST*997*0001~AK1*PO*1~AK2*850*0001~AK5*A~AK9*A*1*1*1~SE*6*0001~GE*1*5~IEA*1*000000077~", ack);
    }

    [Fact]
    public void Build997_SegmentCountWrong_RejectsWithAk5Code4()
    {
        var received = Fixtures.Validate(Fixtures.Po850().Replace("SE*11*0001", "SE*12*0001")).Interchanges[0];
        var ack = Text(X12AckWriter.Build997(received, Settings));
        Assert.Contains("AK2*850*0001~AK5*R*4~AK9*R*1*1*0~", ack);
    }

    [Fact]
    public void Build997_ElementError_ListsAk3AndAk4()
    {
        var received = Fixtures.Validate(Fixtures.Po850().Replace("20240131~REF", "20241331~REF")).Interchanges[0];
        var ack = Text(X12AckWriter.Build997(received, Settings));
        Assert.Contains("AK3*BEG*2**8~AK4*5*373*8*20241331~AK5*R*5~", ack);
    }

    [Fact]
    public void Build999_MissingSegment_UsesIk3Ik5And005010X231A1()
    {
        var text = Fixtures.Po850(Fixtures.Isa5010, "005010").Replace("BEG*00*SA*PO-1001**20240131~", "").Replace("SE*11", "SE*10");
        var received = Fixtures.Validate(text).Interchanges[0];
        var ack = Text(X12AckWriter.Build999(received, Settings));
        Assert.Contains("GS*FA*SUPPLIER*BUYER*20240201*0830*5*X*005010X231A1~ST*999*0001*005010X231A1~AK1*PO*1*005010~AK2*850*0001~IK3*BEG*2**3~IK5*R*5~AK9*R*1*1*0~", ack);
        Assert.False(Fixtures.Validate(ack).HasErrors, "the 999 Sinew writes must itself validate");
    }

    [Fact]
    public void BuildTa1_GoodEnvelope_Accepts()
    {
        var received = Fixtures.Validate(Fixtures.Po850()).Interchanges[0];
        Assert.Contains("TA1*000000001*240131*1200*A*000~IEA*0*000000077~", Text(X12AckWriter.BuildTa1(received, Settings)));
    }

    [Fact]
    public void BuildTa1_IeaControlMismatch_RejectsWithNote001()
    {
        var received = Fixtures.Validate(Fixtures.Po850().Replace("IEA*1*000000001", "IEA*1*000000002")).Interchanges[0];
        Assert.Contains("TA1*000000001*240131*1200*R*001~", Text(X12AckWriter.BuildTa1(received, Settings)));
    }

    [Fact]
    public void Build997_OwnOutput_ValidatesWithoutErrors()
    {
        var received = Fixtures.Validate(Fixtures.Po850().Replace("PID*F*", "PID*Q*")).Interchanges[0];
        var ack = X12AckWriter.Build997(received, Settings);
        var result = new X12Validator().Validate(ack);
        Assert.False(result.HasErrors, string.Join("\n", result.Issues));
    }

    [Fact]
    public void AckReader_OwnPartial997_MarksEachSentSet()
    {
        var body = Fixtures.Po850Body + Fixtures.Po850Body.Replace("0001", "0002").Replace("SE*11", "SE*99");
        var text = Fixtures.Isa4010 + "GS*PO*BUYER*SUPPLIER*20240131*1200*1*X*004010~" + body + "GE*2*1~IEA*1*000000001~";
        var ack = X12AckWriter.Build997(Fixtures.Validate(text).Interchanges[0], Settings);
        var read = X12AckReader.Read(new MemoryStream(ack));
        Assert.Equal(X12AckCode.Accepted, read.StatusOf("1", "0001"));
        Assert.Equal(X12AckCode.Rejected, read.StatusOf("1", "0002"));
        Assert.Null(read.StatusOf("2", "0001"));
    }

    [Fact]
    public void AckReader_Ta1Rejection_MarksInterchange()
    {
        var received = Fixtures.Validate(Fixtures.Po850().Replace("IEA*1*000000001", "IEA*1*000000002")).Interchanges[0];
        var read = X12AckReader.Read(new MemoryStream(X12AckWriter.BuildTa1(received, Settings)));
        Assert.Equal(X12AckCode.Rejected, read.InterchangeStatusOf("000000001"));
    }

    [Fact]
    public void AckReader_GroupLevelOnly999_AppliesAk9ToUnlistedSets()
    {
        var ack = Fixtures.Isa5010 + "GS*FA*S*B*20240131*1200*9*X*005010X231A1~ST*999*0001*005010X231A1~AK1*PO*42*005010~AK9*R*1*1*0~SE*4*0001~GE*1*9~IEA*1*000000001~";
        var read = X12AckReader.Read(new MemoryStream(Fixtures.Bytes(ack)));
        Assert.Equal(X12AckCode.Rejected, read.StatusOf("42", "0007"));
    }
}
