using System.Security.Cryptography;
using Sinew.Canonical;

namespace Sinew.Audit.Tests;

public sealed class TokenizerTests
{
    private static readonly byte[] Key1 = RandomNumberGenerator.GetBytes(32);
    private static readonly byte[] Key2 = RandomNumberGenerator.GetBytes(32);

    [Fact]
    public void Tokenize_SameInputSameVersion_SameTokenAndNewVersionDiffers()
    {
        var v1 = new HmacTokenizer(new Dictionary<int, byte[]> { [1] = Key1 }, 1);
        var both = new HmacTokenizer(new Dictionary<int, byte[]> { [1] = Key1, [2] = Key2 }, 2);

        var token = v1.Tokenize("MRN-CANARY-1");
        Assert.StartsWith("tok:v1:", token, StringComparison.Ordinal);
        Assert.Equal(token, v1.Tokenize("MRN-CANARY-1"));
        Assert.NotEqual(token, v1.Tokenize("MRN-CANARY-2"));
        Assert.DoesNotContain("CANARY", token, StringComparison.Ordinal);
        var rotated = both.Tokenize("MRN-CANARY-1");
        Assert.StartsWith("tok:v2:", rotated, StringComparison.Ordinal);
        Assert.NotEqual(token, rotated);
        Assert.Equal(token, both.Tokenize("MRN-CANARY-1", 1));
        Assert.True(both.Matches(token, "MRN-CANARY-1"));
        Assert.False(both.Matches(token, "MRN-CANARY-2"));
    }

    [Fact]
    public void Apply_Tokenize_ReplacesPhiFieldsAndBlockNamesThemWithoutValues()
    {
        const string record = """[{"schema":"InventoryConsumption/1","consumptionId":"c1","occurredAt":"2026-01-01T00:00:00+00:00","storageLocation":"WH","patientId":"MRN-CANARY","encounterId":"ENC-CANARY","lines":[{"itemCode":"A","erpProduct":"P","quantity":1}]}]""";
        var tokenizer = new HmacTokenizer(new Dictionary<int, byte[]> { [1] = Key1 }, 1);

        var tokenized = SensitivityPolicy.Apply(System.Text.Encoding.UTF8.GetBytes(record), Sensitivity.Internal, PhiAction.Tokenize, tokenizer);
        var text = System.Text.Encoding.UTF8.GetString(tokenized.Payload);
        Assert.DoesNotContain("CANARY", text, StringComparison.Ordinal);
        Assert.Contains($"\"patientId\":\"{tokenizer.Tokenize("MRN-CANARY")}\"", text, StringComparison.Ordinal);

        var blocked = SensitivityPolicy.Apply(System.Text.Encoding.UTF8.GetBytes(record), Sensitivity.Internal, PhiAction.Block, null);
        Assert.True(blocked.Blocked);
        Assert.Equal(["patientId", "encounterId"], blocked.Fields);
        Assert.DoesNotContain("CANARY", blocked.BlockReason("erp", Sensitivity.Internal), StringComparison.Ordinal);
    }
}
