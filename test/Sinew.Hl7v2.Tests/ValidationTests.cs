using System.Text;

namespace Sinew.Hl7v2.Tests;

public sealed class ValidationTests
{
    private static readonly Hl7ProfileSet Profiles = Hl7ProfileSet.LoadBuiltIn();

    private static IReadOnlyList<Hl7Issue> Validate(string text, Hl7ProfileSet? profiles = null) =>
        Hl7Validator.Validate(Hl7Message.Parse(Encoding.UTF8.GetBytes(text)).Message!, profiles ?? Profiles);

    private const string Msh = "MSH|^~\\&|APP|FAC|RAPP|RFAC|20240131123000||";

    [Fact]
    public void BuiltInProfiles_CoverTheIssueMessageTypes_AndLoadWithoutIssues()
    {
        Assert.Empty(Profiles.Issues);
        foreach (var type in new[] { "ADT^A01", "ADT^A03", "ADT^A04", "ADT^A08", "ORU^R01", "DFT^P03", "MFN^M01", "MFN^M16" })
        {
            Assert.True(Profiles.TryGet(type, out _), type);
        }
    }

    [Fact]
    public void Validate_ConformingAdtA01_HasNoErrors()
    {
        var issues = Validate(Msh + "ADT^A01|1|P|2.5.1\rEVN|A01|20240131\rPID|1||123^^^H^MR||DOE^JOHN||19800101|M\rPV1|1|I\r");

        Assert.DoesNotContain(issues, i => i.Severity == Hl7Severity.Error);
    }

    [Fact]
    public void Validate_AdtWithoutPid_ReportsRequiredSegmentMissing()
    {
        var issues = Validate(Msh + "ADT^A01|1|P|2.5.1\rEVN|A01|20240131\rPV1|1|I\r");

        var issue = Assert.Single(issues, i => i.Code == Hl7IssueCode.RequiredSegmentMissing);
        Assert.Equal("PID", issue.Location.Segment);
        Assert.Equal(Hl7Severity.Error, issue.Severity);
    }

    [Fact]
    public void Validate_SecondPidInAdt_ReportsRepeatedSegment()
    {
        var issues = Validate(Msh + "ADT^A01|1|P|2.5.1\rEVN|A01\rPID|1||1||A^B\rPID|2||2||C^D\rPV1|1|I\r");

        var issue = Assert.Single(issues, i => i.Code == Hl7IssueCode.SegmentRepeatedTooOften);
        Assert.Equal(new Hl7Location("PID", 2), issue.Location);
    }

    [Fact]
    public void Validate_ZSegmentsAnywhere_AreAllowed_UnknownSegmentsWarn()
    {
        var issues = Validate(Msh + "ADT^A01|1|P|2.5.1\rEVN|A01\rZPI|x\rPID|1||1||A^B\rXYZ|1\rPV1|1|I\r");

        Assert.DoesNotContain(issues, i => i.Severity == Hl7Severity.Error);
        var warning = Assert.Single(issues, i => i.Code == Hl7IssueCode.UnexpectedSegment);
        Assert.Equal("XYZ", warning.Location.Segment);
    }

    [Fact]
    public void Validate_OruWithRepeatedOrderGroups_HasNoStructureErrors()
    {
        var issues = Validate(Msh + "ORU^R01|1|P|2.5.1\rPID|1||1||A^B\rPV1|1|O\rORC|RE\rOBR|1|||GLU\rOBX|1|NM|GLU||5.5|mmol/L|||||F\rNTE|1||ok\rOBX|2|NM|K||4.1||||||F\rOBR|2|||NA\rOBX|1|NM|NA||140||||||F\rSPM|1\rOBX|3|ST|X||y||||||F\r");

        Assert.DoesNotContain(issues, i => i.Severity == Hl7Severity.Error);
    }

    [Fact]
    public void Validate_RequiredFieldEmpty_ReportsItsLocation()
    {
        var issues = Validate(Msh + "ADT^A01||P|2.5.1\rEVN|A01\rPID|1||1||A^B\rPV1|1|I\r");

        var issue = Assert.Single(issues, i => i.Code == Hl7IssueCode.RequiredFieldMissing && i.Severity == Hl7Severity.Error);
        Assert.Equal(new Hl7Location("MSH", 1, 10), issue.Location);
    }

    [Theory]
    [InlineData("OBX|1|NM|GLU||abc||||||F", Hl7IssueCode.DataTypeError)]
    [InlineData("OBX|1|DT|D||20230229||||||F", Hl7IssueCode.DataTypeError)]
    [InlineData("OBX|1|TS|D||99999999||||||F", Hl7IssueCode.DataTypeError)]
    [InlineData("OBX|1|NM|GLU||5.5||||||Q", Hl7IssueCode.TableValueNotFound)]
    public void Validate_ObservationValueOfWrongType_IsReported(string obx, Hl7IssueCode expected)
    {
        var issues = Validate(Msh + "ORU^R01|1|P|2.5.1\rPID|1||1||A^B\rOBR|1|||GLU\r" + obx + "\r");

        var issue = Assert.Single(issues, i => i.Code == expected);
        Assert.Equal("OBX", issue.Location.Segment);
    }

    [Fact]
    public void Validate_BadTimestampInMsh7_IsDataTypeError()
    {
        var issues = Validate("MSH|^~\\&|A|B|C|D|2024-01-31||ADT^A01|1|P|2.5.1\r");

        Assert.Contains(issues, i => i.Code == Hl7IssueCode.DataTypeError && i.Location == new Hl7Location("MSH", 1, 7, 1));
    }

    [Fact]
    public void Validate_UnknownMessageType_SaysNoProfileAsInformation()
    {
        var issues = Validate(Msh + "ZZZ^Z01|1|P|2.5.1\r");

        Assert.Contains(issues, i => i.Code == Hl7IssueCode.NoProfileForMessageType && i.Severity == Hl7Severity.Information);
    }

    [Fact]
    public void UserProfile_FromYaml_ReplacesBuiltInAndChecksLengthAndRepetitions()
    {
        var profiles = Profiles.WithYaml("site.yaml", """
            messages: [ADT^A01]
            structure:
              - segment: MSH
              - segment: PID
            fields:
              PID:
                - { field: 3, usage: R, maxRepetitions: 1 }
                - { field: 5, maxLength: 5 }
            """);

        var issues = Validate(Msh + "ADT^A01|1|P|2.5.1\rPID|1||1~2||LONGNAME^X\r", profiles);

        Assert.Contains(issues, i => i.Code == Hl7IssueCode.FieldRepeatedTooOften && i.Location.Field == 3);
        Assert.Contains(issues, i => i.Code == Hl7IssueCode.ValueTooLong && i.Location.Field == 5);
        Assert.DoesNotContain(issues, i => i.Code == Hl7IssueCode.RequiredSegmentMissing);
    }

    [Fact]
    public void UserProfileFolder_WithBrokenYaml_ReportsFileAndLine()
    {
        var folder = Directory.CreateTempSubdirectory("hl7profiles");
        try
        {
            File.WriteAllText(Path.Combine(folder.FullName, "bad.yaml"), "messages: [ADT^A01]\nstructure:\n  - segment: MSH\n   oops: [\n");

            var profiles = Profiles.WithFolder(folder.FullName);

            var issue = Assert.Single(profiles.Issues);
            Assert.Equal(Hl7IssueCode.InvalidProfile, issue.Code);
            Assert.Contains("bad.yaml line", issue.Message, StringComparison.Ordinal);
            Assert.True(profiles.TryGet("ADT^A01", out _));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void Validate_DftP03SupplyCharge_ConformsAndMissingFt1IsReported()
    {
        const string Dft = Msh + "DFT^P03^DFT_P03|1|P|2.5.1\rEVN|P03|20240131\rPID|1||123^^^H^MR||DOE^JOHN\rPV1|1|I\r";
        const string Ft1 = "FT1|1|||20240131|20240131|CG|SUP-42^Suture kit^L|||2|||||ER^Emergency\r";

        Assert.DoesNotContain(Validate(Dft + Ft1), i => i.Severity == Hl7Severity.Error);
        Assert.Contains(Validate(Dft), i => i.Code == Hl7IssueCode.RequiredSegmentMissing && i.Message.Contains("FINANCIAL", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_MfnM16ItemMaster_ConformsAndItmWithoutMfeIsOutOfOrder()
    {
        const string Mfn = Msh + "MFN^M16^MFN_M16|1|P|2.6\rMFI|ITM^Item master^HL70175||UPD|||AL\r";
        const string Item = "MFE|MAD|1||SUP-42^Suture kit^L|CWE\rITM|SUP-42^Suture kit^L|Suture kit\rVND|1|V-9^Acme\rPKG|1|BX^Box\r";

        Assert.DoesNotContain(Validate(Mfn + Item + Item), i => i.Severity == Hl7Severity.Error);
        Assert.Contains(Validate(Mfn + "ITM|SUP-42\r"), i => i.Code is Hl7IssueCode.SegmentSequenceError or Hl7IssueCode.RequiredSegmentMissing);
    }

    [Fact]
    public void Validate_MfnM01WithSiteSegment_Conforms()
    {
        var issues = Validate(Msh + "MFN^M01^MFN_M01|1|P|2.5.1\rMFI|LOC^Location^HL70175||UPD|||NE\rMFE|MUP|2||W1^Ward 1|CWE\rZL1|W1|Ward 1\r");

        Assert.DoesNotContain(issues, i => i.Severity == Hl7Severity.Error);
    }
}
