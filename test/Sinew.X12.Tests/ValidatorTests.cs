namespace Sinew.X12.Tests;

public sealed class ValidatorTests
{
    [Fact]
    public void Validate_WellFormed850_HasNoErrors()
    {
        var result = Fixtures.Validate(Fixtures.Po850());
        Assert.Equal("", Fixtures.Codes(result));
        var set = Assert.Single(Assert.Single(Assert.Single(result.Interchanges).Groups).Sets);
        Assert.Equal(X12AckCode.Accepted, set.AckCode);
    }

    [Theory]
    [InlineData('\x1D', '\x1F', '\x1C', '\x1E')]
    [InlineData('|', '>', '\n', '}')]
    [InlineData('$', '{', '+', '^')]
    public void Validate_WellFormed850WithUnusualDelimiters_HasNoErrorsAndRoundTrips(char element, char component, char segment, char repetition)
    {
        var map = new Dictionary<char, char> { ['*'] = element, [':'] = component, ['~'] = segment, ['^'] = repetition };
        var text = new string(Fixtures.Po850(Fixtures.Isa5010, "005010").Select(c => map.GetValueOrDefault(c, c)).ToArray());
        var result = Fixtures.Validate(text);
        Assert.False(result.HasErrors, string.Join("\n", result.Issues));
        Assert.Equal(Fixtures.Bytes(text), X12Roundtrip.Reserialize(Fixtures.Bytes(text)));
    }

    [Fact]
    public void Validate_SegmentCountWrong_RejectsSetWithAk5Code4()
    {
        var result = Fixtures.Validate(Fixtures.Po850().Replace("SE*11*0001", "SE*12*0001"));
        Assert.Contains(X12IssueCodes.SeSegmentCount, Fixtures.Codes(result));
        var set = result.Interchanges[0].Groups[0].Sets[0];
        Assert.Equal(X12AckCode.Rejected, set.AckCode);
        Assert.Contains("4", set.SyntaxErrorCodes);
        Assert.Equal(X12AckCode.Rejected, result.Interchanges[0].Groups[0].AckCode);
    }

    [Fact]
    public void Validate_ControlNumbersMismatch_ReportsSeGeAndIea()
    {
        var text = Fixtures.Po850().Replace("SE*11*0001", "SE*11*0002").Replace("GE*1*1~", "GE*1*2~").Replace("IEA*1*000000001", "IEA*1*000000009");
        var codes = Fixtures.Codes(Fixtures.Validate(text));
        Assert.Contains(X12IssueCodes.SeControlNumber, codes);
        Assert.Contains(X12IssueCodes.GeControlNumber, codes);
        Assert.Contains(X12IssueCodes.IeaControlNumber, codes);
    }

    [Fact]
    public void Validate_IeaMissing_SetsTa1NoteCode023()
    {
        var text = Fixtures.Po850().Replace("IEA*1*000000001~", "");
        var result = Fixtures.Validate(text);
        Assert.Contains(X12IssueCodes.IeaMissing, Fixtures.Codes(result));
        Assert.Equal("023", result.Interchanges[0].NoteCode);
        Assert.Equal(X12AckCode.Rejected, result.Interchanges[0].AckCode);
    }

    [Fact]
    public void Validate_SameInterchangeTwice_ReportsDuplicateWithinWindow()
    {
        var validator = new X12Validator();
        Assert.False(validator.Validate(Fixtures.Bytes(Fixtures.Po850())).HasErrors);
        var second = validator.Validate(Fixtures.Bytes(Fixtures.Po850()));
        Assert.Contains(X12IssueCodes.IsaDuplicate, Fixtures.Codes(second));
        Assert.Equal("025", second.Interchanges[0].NoteCode);
    }

    [Fact]
    public void Validate_DuplicateWindowZero_DoesNotRemember()
    {
        var validator = new X12Validator(new X12ValidationOptions { DuplicateWindow = 0 });
        validator.Validate(Fixtures.Bytes(Fixtures.Po850()));
        Assert.False(validator.Validate(Fixtures.Bytes(Fixtures.Po850())).HasErrors);
    }

    [Fact]
    public void Validate_IsaFieldTooShort_RejectsInterchange()
    {
        var text = Fixtures.Po850().Replace("*000000001*0*P*", "*00000000A*0*P*").Replace("IEA*1*000000001", "IEA*1*00000000A");
        var result = Fixtures.Validate(text);
        Assert.Contains(X12IssueCodes.IsaField, Fixtures.Codes(result));
        Assert.Equal("018", result.Interchanges[0].NoteCode);
    }

    [Fact]
    public void Validate_IsaNotFixedWidth_WarnsAndAcceptsWithErrorsNoted()
    {
        var text = Fixtures.Po850().Replace("*ZZ*BUYER          *", "*ZZ*BUYER*");
        var result = Fixtures.Validate(text);
        Assert.False(result.HasErrors, string.Join("\n", result.Issues));
        Assert.Contains(result.Issues, i => i.Code == X12IssueCodes.IsaNotFixedWidth && i.Severity == X12IssueSeverity.Warning);
        Assert.Equal(X12AckCode.AcceptedWithErrors, result.Interchanges[0].AckCode);
    }

    [Fact]
    public void Validate_MandatorySegmentMissing_ReportsAk3Code3()
    {
        var text = Fixtures.Po850().Replace("BEG*00*SA*PO-1001**20240131~", "").Replace("SE*11", "SE*10");
        var result = Fixtures.Validate(text);
        Assert.Contains(X12IssueCodes.SegmentMissing, Fixtures.Codes(result));
        var error = result.Interchanges[0].Groups[0].Sets[0].SegmentErrors.First(e => e.Code == "3");
        Assert.Equal("BEG", error.SegmentId);
    }

    [Fact]
    public void Validate_SegmentOutOfOrder_ReportsAk3Code7()
    {
        var text = Fixtures.Po850().Replace("REF*DP*038~N1*ST*General Hospital*92*0042~", "N1*ST*General Hospital*92*0042~REF*DP*038~").Replace("N4*Springfield*IL*62701~", "N4*Springfield*IL*62701~BEG*00*SA*X**20240131~").Replace("SE*11", "SE*12");
        var result = Fixtures.Validate(text);
        var errors = result.Interchanges[0].Groups[0].Sets[0].SegmentErrors;
        Assert.Contains(errors, e => e.SegmentId == "BEG" && e.Code == "7");
    }

    [Fact]
    public void Validate_UnknownSegment_ReportsNotInSet()
    {
        var text = Fixtures.Po850().Replace("REF*DP*038~", "ZZZ*1~").Replace("SE*11", "SE*11");
        var result = Fixtures.Validate(text);
        Assert.Contains(X12IssueCodes.SegmentNotInSet, Fixtures.Codes(result));
    }

    [Fact]
    public void Validate_MalformedSegmentId_ReportsUnrecognized()
    {
        var result = Fixtures.Validate(Fixtures.Po850().Replace("REF*DP*038~", "*DP*038~"));
        Assert.Contains(X12IssueCodes.SegmentUnrecognized, Fixtures.Codes(result));
    }

    [Theory]
    [InlineData("BEG*00*SA*PO-1001**2024013~", X12IssueCodes.ElementTooShort, "4")]
    [InlineData("BEG*00*SA*PO-1001**20241331~", X12IssueCodes.ElementDate, "8")]
    [InlineData("BEG*00*SA***20240131~", X12IssueCodes.ElementMissing, "1")]
    [InlineData("BEG*00*SA*PO-1001**20240131*A*BB*CCC*DD*EE*F*GG*X~", X12IssueCodes.ElementTooMany, "3")]
    public void Validate_BadBegElement_ReportsAk4Code(string beg, string issue, string ak403)
    {
        var result = Fixtures.Validate(Fixtures.Po850().Replace("BEG*00*SA*PO-1001**20240131~", beg));
        Assert.Contains(issue, Fixtures.Codes(result));
        var error = result.Interchanges[0].Groups[0].Sets[0].SegmentErrors.Single(e => e.SegmentId == "BEG");
        Assert.Equal(ak403, Assert.Single(error.Elements).Code);
    }

    [Theory]
    [InlineData("N1*ST~", X12IssueCodes.ElementConditional, "2", 2)]
    [InlineData("N1*ST*General Hospital*92~", X12IssueCodes.ElementConditional, "2", 4)]
    [InlineData("N1*ST*General Hospital**0042~", X12IssueCodes.ElementConditional, "2", 3)]
    public void Validate_SyntaxNoteBroken_ReportsAk4Code2(string n1, string issue, string ak403, int element)
    {
        var result = Fixtures.Validate(Fixtures.Po850().Replace("N1*ST*General Hospital*92*0042~", n1));
        Assert.Contains(issue, Fixtures.Codes(result));
        var error = result.Interchanges[0].Groups[0].Sets[0].SegmentErrors.Single(e => e.SegmentId == "N1");
        Assert.Equal((element, ak403), (error.Elements[0].Position, error.Elements[0].Code));
    }

    [Theory]
    [InlineData("P0304", 0b0000, 0)]
    [InlineData("P0304", 0b1000, 4)]
    [InlineData("P0304", 0b11000, 0)]
    [InlineData("R0203", 0b0010, 2)]
    [InlineData("R0203", 0b1000, 0)]
    [InlineData("E0405", 0b110000, 5)]
    [InlineData("C0302", 0b1000, 2)]
    [InlineData("C0302", 0b0100, 0)]
    [InlineData("L030405", 0b1000, 4)]
    [InlineData("L030405", 0b101000, 0)]
    public void SyntaxRule_PresentElements_FindsTheViolation(string note, int present, int expected)
    {
        Assert.True(X12SyntaxRule.TryParse(note, out var rule));
        Assert.Equal(expected, rule.Violation((ulong)present));
    }

    [Fact]
    public void Validate_InvalidCode_ReportsAk4Code7()
    {
        var result = Fixtures.Validate(Fixtures.Po850().Replace("PID*F*", "PID*Q*"));
        Assert.Contains(X12IssueCodes.ElementCode, Fixtures.Codes(result));
    }

    [Fact]
    public void Validate_NumberWithLetters_ReportsInvalidCharacter()
    {
        var result = Fixtures.Validate(Fixtures.Po850().Replace("PO1*1*10*EA", "PO1*1*1O*EA"));
        Assert.Contains(X12IssueCodes.ElementCharacter, Fixtures.Codes(result));
    }

    [Fact]
    public void Validate_OneGoodOneBadSet_GroupIsPartiallyAccepted()
    {
        var body = Fixtures.Po850Body + Fixtures.Po850Body.Replace("0001", "0002").Replace("SE*11", "SE*99");
        var text = Fixtures.Isa4010 + "GS*PO*BUYER*SUPPLIER*20240131*1200*1*X*004010~" + body + "GE*2*1~IEA*1*000000001~";
        var group = Fixtures.Validate(text).Interchanges[0].Groups[0];
        Assert.Equal(X12AckCode.PartiallyAccepted, group.AckCode);
        Assert.Equal(1, group.SetsAccepted);
        Assert.Equal(2, group.SetsReceived);
    }

    [Fact]
    public void Validate_UnknownSetWithRejectOption_RejectsWithAk5Code1()
    {
        var text = Fixtures.Po850().Replace("ST*850", "ST*999").Replace("BEG*00", "ZZZ*00");
        var options = new X12ValidationOptions { RejectUnknownSets = true, Schemas = X12SchemaSet.Empty };
        var set = Fixtures.Validate(text, options).Interchanges[0].Groups[0].Sets[0];
        Assert.Contains("1", set.SyntaxErrorCodes);
    }

    [Fact]
    public void Validate_SegmentsOutsideEnvelopes_AreErrorsNotCrashes()
    {
        var result = Fixtures.Validate("GS*PO*B*S*20240131*1200*1*X*004010~ST*850*0001~SE*2*0001~GE*1*1~");
        Assert.True(result.HasErrors);
        Assert.Contains(X12IssueCodes.NoInterchange, Fixtures.Codes(result));
    }

    [Fact]
    public void Validate_IssueLocation_NamesControlNumbersAndPositions()
    {
        var result = Fixtures.Validate(Fixtures.Po850().Replace("BEG*00*SA*PO-1001**20240131~", "BEG*00*SA*PO-1001**20241331~"));
        var issue = result.Issues.Single(i => i.Code == X12IssueCodes.ElementDate);
        Assert.Equal(("000000001", "1", "0001", "BEG", 2, 5), (issue.Location.InterchangeControlNumber, issue.Location.GroupControlNumber, issue.Location.SetControlNumber, issue.Location.SegmentId, issue.Location.SegmentPosition, issue.Location.ElementPosition));
    }
}
