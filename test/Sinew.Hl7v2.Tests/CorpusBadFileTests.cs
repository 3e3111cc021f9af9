namespace Sinew.Hl7v2.Tests;

public sealed class CorpusBadFileTests
{
    // What the codec with its built-in (generic HL7 v2.5.1) profiles must find in each file the sources mark invalid.
    // null: the source's rule is specific to its own profile (CDC PHIN message mapping guides), which generic rules cannot know.
    private static readonly Dictionary<string, Hl7IssueCode?> Expected = new()
    {
        ["hl7v2/bad/cdcdex__Invalid-GenV1-0-Case-Notification.hl7"] = Hl7IssueCode.DataTypeError,
        ["hl7v2/bad/cdcdex__Lyme_BadDate.txt"] = Hl7IssueCode.DataTypeError,
        ["hl7v2/bad/cdcdex__Lyme_BadWeek.txt"] = null,
        ["hl7v2/bad/cdcdex__Lyme_WithBadDelimiters.txt"] = Hl7IssueCode.InvalidDelimiters,
        ["hl7v2/bad/cdcdex__Lyme_WithMissingJurCode.txt"] = null,
        ["hl7v2/bad/cdcdex__Lyme_WithMissingMSH212.txt"] = null,
        ["hl7v2/bad/cdcdex__PHLIP_FLU_2.5.1_NO_MSH10.txt"] = Hl7IssueCode.RequiredFieldMissing,
        ["hl7v2/bad/cdcdex__PHLIP_FLU_2.5.1_NO_MSH21.txt"] = null,
        ["hl7v2/bad/cdcdex__PHLIP_FLU_2.5.1_NO_MSH3.txt"] = Hl7IssueCode.RequiredFieldMissing,
        ["hl7v2/bad/cdcdex__PHLIP_FLU_2.5.1_NO_MSH4.txt"] = Hl7IssueCode.DataTypeError,
        ["hl7v2/bad/cdcdex__PHLIP_FLU_2.5.1_NO_MSH5.txt"] = Hl7IssueCode.DataTypeError,
        ["hl7v2/bad/cdcdex__PHLIP_FLU_2.5.1_NO_MSH6.txt"] = Hl7IssueCode.RequiredFieldMissing,
        ["hl7v2/bad/cdcdex__PHLIP_FLU_2.5.1_NO_MSH7.txt"] = Hl7IssueCode.RequiredFieldMissing,
        ["hl7v2/bad/cdcti__012_AL_OML_O21_malformed_XAD_datatype_3_hl7_translation_final.hl7"] = Hl7IssueCode.RequiredFieldMissing,
        ["hl7v2/bad/cdcti__012_AL_ORM_O01_malformed_XAD_datatype_0_initial_message.hl7"] = Hl7IssueCode.TableValueNotFound,
        ["hl7v2/bad/cdcti__012_AL_ORM_O01_malformed_XAD_datatype_3_hl7_translation_final.hl7"] = Hl7IssueCode.RequiredFieldMissing,
        ["hl7v2/bad/cdcti__empty.hl7"] = Hl7IssueCode.EmptyMessage,
        ["hl7v2/bad/cdcti__msh_present_but_missing_msh-10.hl7"] = Hl7IssueCode.RequiredFieldMissing,
        ["hl7v2/bad/cdcti__msh_present_but_missing_msh-2.hl7"] = Hl7IssueCode.InvalidDelimiters,
        ["hl7v2/bad/cdcti__msh_present_but_missing_msh-9.hl7"] = Hl7IssueCode.RequiredFieldMissing,
        ["hl7v2/bad/cdcti__orm_obx-5_is_not_a_numeric_value.hl7"] = Hl7IssueCode.DataTypeError,
    };

    [Theory]
    [MemberData(nameof(Corpus.BadFiles), MemberType = typeof(Corpus))]
    public void BadCorpusFile_ReportsTheExpectedIssue_WithoutThrowing_AndStillRoundTrips(string file)
    {
        Assert.SkipWhen(Corpus.Root is null, Corpus.SkipReason);
        Assert.True(Expected.TryGetValue(file, out var expected), $"{file} is new in the corpus: add what the codec should report.");
        var bytes = File.ReadAllBytes(Corpus.PathOf(file));
        var profiles = Hl7ProfileSet.LoadBuiltIn();

        var issues = new List<Hl7Issue>();
        var rebuilt = new List<byte>();
        var batch = Hl7Batch.Parse(bytes);
        issues.AddRange(batch.Issues);
        foreach (var item in batch.Items)
        {
            var result = item.Parse();
            issues.AddRange(result.Issues);
            if (result.Message is { } message)
            {
                issues.AddRange(Hl7Validator.Validate(message, profiles));
                rebuilt.AddRange(message.ToArray());
            }
            else
            {
                rebuilt.AddRange(item.Bytes.ToArray());
            }
        }

        Assert.Equal(bytes, rebuilt.ToArray());
        if (expected is { } code)
        {
            Assert.Contains(issues, i => i.Code == code && i.Severity >= Hl7Severity.Warning);
        }
    }
}
