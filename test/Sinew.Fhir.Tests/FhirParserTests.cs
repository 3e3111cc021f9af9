using System.Text;
using Hl7.Fhir.Model;
using Sinew.Fhir.Parsing;

namespace Sinew.Fhir.Tests;

public sealed class FhirParserTests
{
    private static FhirParseResult Json(string text, int maxDepth = 64) => FhirParser.Parse(Encoding.UTF8.GetBytes(text), FhirFormat.Json, maxDepth);

    private static FhirParseResult Xml(string text, int maxDepth = 64) => FhirParser.Parse(Encoding.UTF8.GetBytes(text), FhirFormat.Xml, maxDepth);

    [Fact]
    public void Parse_ValidJson_GivesTheSupplyDelivery()
    {
        var result = Json(Samples.Delivery());

        Assert.True(result.IsValid, string.Join("; ", result.Issues));
        var delivery = Assert.IsType<SupplyDelivery>(result.Resource);
        Assert.Equal(2m, delivery.SuppliedItem!.Quantity!.Value);
    }

    [Fact]
    public void Parse_ValidXml_GivesTheSupplyDelivery()
    {
        var result = Xml(Samples.DeliveryXml);

        Assert.True(result.IsValid, string.Join("; ", result.Issues));
        Assert.Equal("WARD-3", Assert.IsType<SupplyDelivery>(result.Resource).Destination!.Identifier!.Value);
    }

    [Fact]
    public void Parse_BrokenJson_SaysLineAndPosition()
    {
        var result = Json("{\"resourceType\":\"SupplyDelivery\",\n  \"status\": ,}");

        var issue = Assert.Single(result.Issues);
        Assert.Equal(OperationOutcome.IssueType.Structure, issue.Code);
        Assert.Contains("line 2, position 13", issue.Diagnostics, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_JsonDeeperThanTheLimit_IsTooCostlyWithoutRecursing()
    {
        var result = Json(Samples.DeepJson(10_000));

        var issue = Assert.Single(result.Issues);
        Assert.Equal(OperationOutcome.IssueType.TooCostly, issue.Code);
        Assert.Contains("deeper than 64", issue.Diagnostics, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_JsonJustWithinTheLimit_IsParsed()
    {
        // Root object (1) + extension array/object pairs: 3 levels deep is 1 + 2*3 + the innermost array = 8.
        Assert.True(Json(Samples.DeepJson(3), maxDepth: 8).Issues.All(i => i.Code != OperationOutcome.IssueType.TooCostly));
        Assert.Equal(OperationOutcome.IssueType.TooCostly, Assert.Single(Json(Samples.DeepJson(3), maxDepth: 7).Issues).Code);
    }

    [Fact]
    public void Parse_UnknownElement_IsAnErrorWithItsPath()
    {
        var result = Json(Samples.Delivery(extra: ",\"destinaton\":{\"reference\":\"Location/X\"}"));

        Assert.False(result.IsValid);
        Assert.Contains(result.Issues, i => i.Expression == "SupplyDelivery.destinaton");
    }

    [Theory]
    [InlineData(Samples.XmlWithDtd)]
    [InlineData(Samples.XmlExternalEntity)]
    [InlineData(Samples.BillionLaughs)]
    public void Parse_XmlWithDtdOrEntities_IsRefusedAsSecurity(string xml)
    {
        var result = Xml(xml);

        var issue = Assert.Single(result.Issues);
        Assert.Equal(OperationOutcome.IssueType.Security, issue.Code);
        Assert.Null(result.Resource);
    }

    [Fact]
    public void Parse_XmlDeeperThanTheLimit_IsTooCostly()
    {
        var issue = Assert.Single(Xml(Samples.DeepXml(10_000)).Issues);

        Assert.Equal(OperationOutcome.IssueType.TooCostly, issue.Code);
    }

    [Fact]
    public void Parse_XmlWithUndeclaredEntity_IsAStructureError()
    {
        var issue = Assert.Single(Xml("<SupplyDelivery xmlns=\"http://hl7.org/fhir\"><status value=\"&foo;\"/></SupplyDelivery>").Issues);

        Assert.Equal(OperationOutcome.IssueType.Structure, issue.Code);
        Assert.Contains("line 1", issue.Diagnostics, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("[{\"resourceType\":\"SupplyDelivery\"}]")]
    [InlineData("42")]
    [InlineData("null")]
    public void Parse_JsonThatIsNotAnObject_IsAStructureIssueNotAnException(string json)
    {
        var issue = Assert.Single(Json(json).Issues);

        Assert.Equal(OperationOutcome.IssueType.Structure, issue.Code);
    }

    [Fact]
    public void Parse_JsonWithInvalidUtf8_SaysTheOffset()
    {
        byte[] body = [.. "{\"resourceType\":\"SupplyDelivery\",\"status\":\""u8, 0xE9, .. "\"}"u8];

        var issue = Assert.Single(FhirParser.Parse(body, FhirFormat.Json, 64).Issues);

        Assert.Equal(OperationOutcome.IssueType.Structure, issue.Code);
        Assert.Contains("offset 43)", issue.Diagnostics, StringComparison.Ordinal);
    }
}
