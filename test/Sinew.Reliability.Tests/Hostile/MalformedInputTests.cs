using System.Net;
using System.Text;

namespace Sinew.Reliability.Tests.Hostile;

/// <summary>Malformed and malicious content: invalid UTF-8, mixed encodings, XML with DTDs and entities.</summary>
public sealed class MalformedInputTests(HostileFixture fixture) : IClassFixture<HostileFixture>
{
    [Fact]
    public async Task InvalidUtf8_ToChannelRequiringUtf8_Answers422_KeptAsRejectedOnly()
    {
        var check = await HostileCase.BeginAsync(fixture, "invalid UTF-8 (overlong, lone continuation, surrogate) to requireUtf8", "utf8");
        byte[] body = [.. "{\"a\":\""u8, 0xC0, 0xAF, 0x80, 0xED, 0xA0, 0x80, .. "\"}"u8];
        using var response = await fixture.Sinew.Http.PostAsync("in/utf8", new ByteArrayContent(body), TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("UTF-8", text, StringComparison.OrdinalIgnoreCase);
        await check.EndAsync($"422: {OversizedInputTests.Shorten(text)}", keptAsRejected: 1);
    }

    [Fact]
    public async Task MixedEncodings_ToChannelWithoutChecks_DeliveredByteForByte()
    {
        var check = await HostileCase.BeginAsync(fixture, "Latin-1, UTF-8, UTF-16 and NUL bytes in one body to a channel without checks", "raw");
        byte[] body = [.. "caf"u8, 0xE9, (byte)' ', .. "café"u8, 0xFF, 0xFE, (byte)'x', 0x00, 0x00, 0x1B, (byte)'[', (byte)'2', (byte)'J'];
        using var response = await fixture.Sinew.Http.PostAsync("in/raw", new ByteArrayContent(body), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var folder = Path.Combine(fixture.Data, "out", "raw");
        Assert.True(await Support.Admin.EventuallyAsync(() => Directory.Exists(folder) && Directory.GetFiles(folder, "*.bin").Any(f => File.ReadAllBytes(f).AsSpan().SequenceEqual(body)), TimeSpan.FromSeconds(10)), "the bytes were not delivered unchanged");
        await check.EndAsync("202, delivered byte for byte", stored: 1);
    }

    public static TheoryData<string, string> XmlAttacks => new()
    {
        { "DTD", "<?xml version=\"1.0\"?><!DOCTYPE SupplyDelivery [<!ELEMENT SupplyDelivery ANY>]><SupplyDelivery xmlns=\"http://hl7.org/fhir\"><status value=\"completed\"/></SupplyDelivery>" },
        { "billion laughs", "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\"><!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\"><!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\"><!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\"><!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\"><!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\"><!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\"><!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\"><!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">]><SupplyDelivery xmlns=\"http://hl7.org/fhir\"><status value=\"&lol9;\"/></SupplyDelivery>" },
        { "external entity", "<?xml version=\"1.0\"?><!DOCTYPE SupplyDelivery [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><SupplyDelivery xmlns=\"http://hl7.org/fhir\"><status value=\"&xxe;\"/></SupplyDelivery>" },
        { "external DTD", "<?xml version=\"1.0\"?><!DOCTYPE SupplyDelivery SYSTEM \"http://169.254.169.254/latest/meta-data/\"><SupplyDelivery xmlns=\"http://hl7.org/fhir\"><status value=\"completed\"/></SupplyDelivery>" },
    };

    [Theory]
    [MemberData(nameof(XmlAttacks))]
    public async Task XmlWithDtdOrEntities_ToFhir_RefusedWithOperationOutcome_NothingResolved(string attack, string xml)
    {
        var check = await HostileCase.BeginAsync(fixture, $"FHIR XML with {attack}", "fhir");
        using var content = new StringContent(xml, Encoding.UTF8, "application/fhir+xml");
        using var response = await fixture.Sinew.Http.PostAsync("fhir/SupplyDelivery", content, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True((int)response.StatusCode is 400 or 422, $"{attack}: answered {(int)response.StatusCode}: {text}");
        Assert.Contains("OperationOutcome", text, StringComparison.Ordinal);
        Assert.DoesNotContain("root:", text, StringComparison.Ordinal);
        Assert.DoesNotContain("lollollol", text, StringComparison.Ordinal);
        await check.EndAsync($"HTTP {(int)response.StatusCode}: {OversizedInputTests.Shorten(text)}", keptAsRejected: 1);
    }

    public static TheoryData<string, string, string> FirelyCrashers => new()
    {
        { "JSON property named \"\"", "application/fhir+json", "{\"resourceType\":\"SupplyDelivery\",\"\":\"x\"}" },
        { "unknown XML attribute", "application/fhir+xml", "<SupplyDelivery xmlns=\"http://hl7.org/fhir\"><status vaLue=\"completed\"/></SupplyDelivery>" },
        { "unknown attribute in a datatype", "application/fhir+xml", "<SupplyDelivery xmlns=\"http://hl7.org/fhir\"><identifier><system vaLue=\"url\"/></identifier></SupplyDelivery>" },
    };

    /// <summary>The fuzz crashers of the fhir target through the real endpoint: a clear 400, not a server error.</summary>
    [Theory]
    [MemberData(nameof(FirelyCrashers))]
    public async Task FuzzFoundFhirInput_ToFhirEndpoint_AnswersProblemNotServerError(string name, string contentType, string body)
    {
        var check = await HostileCase.BeginAsync(fixture, $"FHIR fuzz crasher: {name}", "fhir");
        using var content = new StringContent(body, Encoding.UTF8, contentType);
        using var response = await fixture.Sinew.Http.PostAsync("fhir/SupplyDelivery", content, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Support.Figures.Report("hostile", $"FHIR fuzz crasher {name}: HTTP {(int)response.StatusCode}: {OversizedInputTests.Shorten(text)}");
        Assert.True((int)response.StatusCode is 400 or 422, $"{name}: answered {(int)response.StatusCode}: {text}");
        Assert.Contains("OperationOutcome", text, StringComparison.Ordinal);
        await check.EndAsync($"HTTP {(int)response.StatusCode}", keptAsRejected: 1);
    }
}
