namespace Sinew.X12.Tests;

public sealed class PathTests
{
    private static X12TransactionSet Set()
    {
        using var reader = new X12TransactionSetReader(new MemoryStream(Fixtures.Bytes(Fixtures.Po850().Replace("N4*Springfield", "N1*BT*Billing~N3*PO Box 9~N4*Springfield"))));
        return reader.ReadNext()!;
    }

    [Theory]
    [InlineData("BEG03", "PO-1001")]
    [InlineData("PO1[2].PO107", "MASK-3")]
    [InlineData("PO1[1].PO102", "10")]
    [InlineData("N1[ST].N104", "0042")]
    [InlineData("N1[ST].N301", "1 Main St")]
    [InlineData("N1[BT].N301", "PO Box 9")]
    [InlineData("N1[ST].N401", "")]
    [InlineData("N1[ZZ].N102", "")]
    [InlineData("PO1[3].PO101", "")]
    [InlineData("CTT01", "2")]
    public void Get_Path_ReturnsElementValue(string path, string expected)
    {
        Assert.Equal(expected, Set().GetText(path));
    }

    [Fact]
    public void Get_ComponentPath_ReturnsComponent()
    {
        var text = Fixtures.Po850().Replace("PID*F****Nitrile gloves, medium", "PID*F****Nitrile:gloves");
        using var reader = new X12TransactionSetReader(new MemoryStream(Fixtures.Bytes(text)));
        Assert.Equal("gloves", reader.ReadNext()!.GetText("PID05-2"));
    }

    [Theory]
    [InlineData("BEG3")]
    [InlineData("beg03")]
    [InlineData("PO1[0].PO101")]
    [InlineData("PO1.PO101")]
    [InlineData("PO101-0")]
    [InlineData("")]
    public void TryParse_MalformedPath_FailsWithReason(string path)
    {
        Assert.False(X12Path.TryParse(path, out _, out var error));
        Assert.NotEmpty(error);
    }

    [Fact]
    public void Parse_Path_KeepsPositions()
    {
        var path = X12Path.Parse("N1[ST].N104");
        Assert.Equal((4, 0, 0, "ST"), (path.Element, path.Component, path.Occurrence, System.Text.Encoding.ASCII.GetString(path.Qualifier)));
    }

    [Fact]
    public async Task SetReader_ReadNextAsync_ReturnsTheSameSets()
    {
        var text = Fixtures.Isa4010 + "GS*PO*BUYER*SUPPLIER*20240131*1200*7*X*004010~" + Fixtures.Po850Body + Fixtures.Po850Body.Replace("0001", "0002") + "GE*2*7~IEA*1*000000001~";
        using var reader = new X12TransactionSetReader(new TrickleStream(Fixtures.Bytes(text), 5));
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal("PO-1001", (await reader.ReadNextAsync(ct))!.GetText("BEG03"));
        Assert.Equal("0002", (await reader.ReadNextAsync(ct))!.ControlNumber);
        Assert.Null(await reader.ReadNextAsync(ct));
    }

    [Fact]
    public void SetReader_FileWithTwoSets_ReturnsThemInOrderWithEnvelope()
    {
        var text = Fixtures.Isa4010 + "GS*PO*BUYER*SUPPLIER*20240131*1200*7*X*004010~" + Fixtures.Po850Body + Fixtures.Po850Body.Replace("0001", "0002") + "GE*2*7~IEA*1*000000001~";
        using var reader = new X12TransactionSetReader(new MemoryStream(Fixtures.Bytes(text)));
        Assert.Equal("0001", reader.ReadNext()!.ControlNumber);
        var second = reader.ReadNext()!;
        Assert.Equal(("0002", "850", 11, "7", "004010"), (second.ControlNumber, second.SetId, second.Count, reader.GroupControlNumber, reader.GroupVersion));
        Assert.Null(reader.ReadNext());
    }
}
