using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Hl7.Fhir.Model;

namespace Sinew.Fhir.Tests;

/// <summary>The <c>/fhir</c> endpoints of a real <c>sinew run</c>: what a FHIR client sees, and what the journal holds.</summary>
public sealed partial class FhirIntakeTests(FhirServer server) : IClassFixture<FhirServer>
{
    private static long IdFromLocation(HttpResponseMessage response)
    {
        var location = response.Headers.Location?.ToString() ?? throw new InvalidOperationException("no Location header");
        Assert.StartsWith("/fhir/SupplyDelivery/", location, StringComparison.Ordinal);
        return long.Parse(location["/fhir/SupplyDelivery/".Length..], CultureInfo.InvariantCulture);
    }

    private static long KeptMessageId(OperationOutcome outcome)
    {
        var text = string.Join(" ", outcome.Issue.Select(i => i.Diagnostics));
        var match = KeptAs().Match(text);
        Assert.True(match.Success, "the outcome does not say which message was kept: " + text);
        return long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"kept as message (\d+)")]
    private static partial Regex KeptAs();

    private async Task AssertStillTakesAValidCreateAsync()
    {
        using var response = await server.PostJsonAsync("fhir/SupplyDelivery", Samples.Delivery(code: "AFTER-HOSTILE"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Create_ValidJson_Answers201WithLocationAndTheFileHoldsTheExactBytes()
    {
        var body = Encoding.UTF8.GetBytes(Samples.Delivery(quantity: "2.5"));

        using var response = await server.PostAsync("fhir/SupplyDelivery", body, "application/fhir+json");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("application/fhir+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("W/\"1\"", response.Headers.ETag?.ToString());
        var id = IdFromLocation(response);
        var echoed = await FhirServer.ReadAsync<SupplyDelivery>(response);
        Assert.Equal(id.ToString(CultureInfo.InvariantCulture), echoed.Id);
        Assert.NotNull(echoed.Meta?.LastUpdated);
        Assert.Equal(2.5m, echoed.SuppliedItem!.Quantity!.Value);
        Assert.Equal(body, await server.DeliveredFileAsync(id));
    }

    [Fact]
    public async Task Create_Xml_Answers201AndEchoesXmlWhenAsked()
    {
        var body = Encoding.UTF8.GetBytes(Samples.DeliveryXml);

        using var response = await server.PostAsync("fhir/SupplyDelivery", body, "application/fhir+xml", accept: "application/fhir+xml");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("application/fhir+xml", response.Content.Headers.ContentType?.MediaType);
        var echoed = await FhirServer.ReadAsync<SupplyDelivery>(response);
        Assert.Equal("SUP-777", echoed.SuppliedItem!.Item is CodeableConcept c ? c.Coding[0].Code : null);
        Assert.Equal(body, await server.DeliveredFileAsync(IdFromLocation(response), ".xml"));
    }

    [Fact]
    public async Task Create_PreferMinimal_Answers201WithoutABody()
    {
        using var response = await server.PostJsonAsync("fhir/SupplyDelivery", Samples.Delivery(), prefer: "return=minimal");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        IdFromLocation(response);
    }

    [Fact]
    public async Task Read_CreatedResource_ComesBackFromTheJournal()
    {
        using var created = await server.PostJsonAsync("fhir/SupplyDelivery", Samples.Delivery(code: "READ-ME"));
        var id = IdFromLocation(created);

        using var read = await server.Sinew.Http.GetAsync($"fhir/SupplyDelivery/{id}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        var resource = await FhirServer.ReadAsync<SupplyDelivery>(read);
        Assert.Equal(id.ToString(CultureInfo.InvariantCulture), resource.Id);
        Assert.Equal("READ-ME", ((CodeableConcept)resource.SuppliedItem!.Item!).Coding[0].Code);
    }

    [Fact]
    public async Task Create_InvalidJson_Answers400WithPositionAndKeepsTheMessageAsRejected()
    {
        var before = await server.MessageCountAsync();

        using var response = await server.PostJsonAsync("fhir/SupplyDelivery", "{\"resourceType\":\"SupplyDelivery\",\n  \"status\": ,}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var outcome = await FhirServer.ReadAsync<OperationOutcome>(response);
        var issue = outcome.Issue.First(i => i.Severity == OperationOutcome.IssueSeverity.Error);
        Assert.Equal(OperationOutcome.IssueType.Structure, issue.Code);
        Assert.Contains("line 2, position 13", issue.Diagnostics, StringComparison.Ordinal);
        var kept = KeptMessageId(outcome);
        var message = await server.MessageAsync(kept);
        Assert.Equal("rejected", message.GetProperty("message").GetProperty("status").GetString(), ignoreCase: true);
        Assert.Contains("invalid JSON", message.GetProperty("message").GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(before + 1, await server.MessageCountAsync());
    }

    [Fact]
    public async Task Create_WrongResourceType_Answers400()
    {
        using var response = await server.PostJsonAsync("fhir/SupplyDelivery", """{"resourceType":"Patient","active":true}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var outcome = await FhirServer.ReadAsync<OperationOutcome>(response);
        Assert.Contains(outcome.Issue, i => i.Code == OperationOutcome.IssueType.Invalid && i.Diagnostics!.Contains("is a Patient", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Create_MissingQuantity_Answers400WithTheExpression()
    {
        using var response = await server.PostJsonAsync("fhir/SupplyDelivery", Samples.DeliveryWithoutQuantity);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var outcome = await FhirServer.ReadAsync<OperationOutcome>(response);
        var issue = Assert.Single(outcome.Issue, i => i.Severity == OperationOutcome.IssueSeverity.Error);
        Assert.Equal(OperationOutcome.IssueType.Required, issue.Code);
        Assert.Equal(["SupplyDelivery.suppliedItem.quantity"], issue.Expression);
    }

    [Fact]
    public async Task Transaction_FiveEntries_Answers200TransactionResponseAndJournalsOneMessage()
    {
        var before = await server.MessageCountAsync();
        var bundle = Samples.Bundle("transaction", [.. Enumerable.Range(1, 5).Select(i => Samples.Delivery(quantity: i.ToString(CultureInfo.InvariantCulture), code: $"TX-{i}"))]);

        using var response = await server.PostJsonAsync("fhir", bundle);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = await FhirServer.ReadAsync<Bundle>(response);
        Assert.Equal(Bundle.BundleType.TransactionResponse, answer.Type);
        Assert.Equal(5, answer.Entry.Count);
        Assert.All(answer.Entry, e => Assert.Equal("201 Created", e.Response!.Status));
        Assert.Equal(before + 1, await server.MessageCountAsync());
        var location = answer.Entry[3].Response!.Location!;
        Assert.Matches(@"^SupplyDelivery/\d+-3$", location);
        var messageId = long.Parse(location["SupplyDelivery/".Length..location.IndexOf('-', StringComparison.Ordinal)], CultureInfo.InvariantCulture);
        Assert.Equal(Encoding.UTF8.GetBytes(bundle), await server.DeliveredFileAsync(messageId));

        using var read = await server.Sinew.Http.GetAsync("fhir/" + location, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal("TX-4", ((CodeableConcept)(await FhirServer.ReadAsync<SupplyDelivery>(read)).SuppliedItem!.Item!).Coding[0].Code);
    }

    [Fact]
    public async Task Transaction_OneBadEntry_Answers400NamingTheEntryAndStoresNothing()
    {
        var before = await server.MessageCountAsync();
        var bundle = Samples.Bundle("transaction", Samples.Delivery(), Samples.Delivery(), Samples.Delivery(), Samples.DeliveryWithoutQuantity, Samples.Delivery());

        using var response = await server.PostJsonAsync("fhir", bundle);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var outcome = await FhirServer.ReadAsync<OperationOutcome>(response);
        var issue = Assert.Single(outcome.Issue, i => i.Severity == OperationOutcome.IssueSeverity.Error);
        Assert.Equal(["Bundle.entry[3].resource.suppliedItem.quantity"], issue.Expression);
        Assert.StartsWith("Bundle.entry[3]", issue.Diagnostics, StringComparison.Ordinal);
        Assert.Equal(before, await server.MessageCountAsync());
    }

    [Fact]
    public async Task Transaction_EntryForAnotherMethod_IsRefusedWhole()
    {
        var before = await server.MessageCountAsync();
        var bundle = Samples.Bundle("transaction", Samples.Delivery()).Replace("\"POST\"", "\"PUT\"", StringComparison.Ordinal);

        using var response = await server.PostJsonAsync("fhir", bundle);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var outcome = await FhirServer.ReadAsync<OperationOutcome>(response);
        Assert.Contains(outcome.Issue, i => i.Code == OperationOutcome.IssueType.NotSupported && i.Expression!.Contains("Bundle.entry[0].request.method"));
        Assert.Equal(before, await server.MessageCountAsync());
    }

    [Fact]
    public async Task Batch_ThreeGoodOneBad_JournalsThreeMessagesWithPerEntryStatuses()
    {
        var before = await server.MessageCountAsync();
        var bundle = Samples.Bundle("batch", Samples.Delivery(code: "B-0"), Samples.DeliveryWithoutQuantity, Samples.Delivery(code: "B-2"), Samples.Delivery(code: "B-3"));

        using var response = await server.PostJsonAsync("fhir", bundle);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = await FhirServer.ReadAsync<Bundle>(response);
        Assert.Equal(Bundle.BundleType.BatchResponse, answer.Type);
        Assert.Equal(["201 Created", "400 Bad Request", "201 Created", "201 Created"], answer.Entry.Select(e => e.Response!.Status));
        var outcome = Assert.IsType<OperationOutcome>(answer.Entry[1].Response!.Outcome);
        Assert.Equal(["Bundle.entry[1].resource.suppliedItem.quantity"], outcome.Issue.Single().Expression);
        Assert.Equal(before + 3, await server.MessageCountAsync());

        var id = long.Parse(answer.Entry[2].Response!.Location!["SupplyDelivery/".Length..], CultureInfo.InvariantCulture);
        var delivered = Encoding.UTF8.GetString(await server.DeliveredFileAsync(id));
        Assert.Contains("\"B-2\"", delivered, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metadata_IsACapabilityStatementFirelyReads()
    {
        using var response = await server.Sinew.Http.GetAsync("fhir/metadata", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var statement = await FhirServer.ReadAsync<CapabilityStatement>(response);
        Assert.Equal(FHIRVersion.N4_0_1, statement.FhirVersion);
        Assert.Equal(["json", "xml"], statement.Format);
        var rest = Assert.Single(statement.Rest);
        Assert.Equal(CapabilityStatement.RestfulCapabilityMode.Server, rest.Mode);
        var resource = Assert.Single(rest.Resource);
        Assert.Equal("SupplyDelivery", resource.Type);
        Assert.Contains(resource.Interaction, i => i.Code == CapabilityStatement.TypeRestfulInteraction.Create);
        Assert.Equal([CapabilityStatement.SystemRestfulInteraction.Transaction, CapabilityStatement.SystemRestfulInteraction.Batch], rest.Interaction.Select(i => i.Code!.Value));
    }

    [Fact]
    public async Task Metadata_AsXml_WhenFormatSaysSo()
    {
        using var response = await server.Sinew.Http.GetAsync("fhir/metadata?_format=xml", TestContext.Current.CancellationToken);

        Assert.Equal("application/fhir+xml", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(FHIRVersion.N4_0_1, (await FhirServer.ReadAsync<CapabilityStatement>(response)).FhirVersion);
    }

    public static TheoryData<string, string, OperationOutcome.IssueType> HostileBodies => new()
    {
        { "dtd", Samples.XmlWithDtd, OperationOutcome.IssueType.Security },
        { "external-entity", Samples.XmlExternalEntity, OperationOutcome.IssueType.Security },
        { "billion-laughs", Samples.BillionLaughs, OperationOutcome.IssueType.Security },
        { "deep-json", Samples.DeepJson(10_000), OperationOutcome.IssueType.TooCostly },
        { "deep-xml", Samples.DeepXml(10_000), OperationOutcome.IssueType.TooCostly },
    };

    [Theory]
    [MemberData(nameof(HostileBodies))]
    public async Task Create_HostileBody_IsRefusedAndTheEngineStaysUp(string name, string body, OperationOutcome.IssueType code)
    {
        var contentType = body.StartsWith('<') ? "application/fhir+xml" : "application/fhir+json";

        using var response = await server.PostAsync("fhir/SupplyDelivery", Encoding.UTF8.GetBytes(body), contentType);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{name}: {response.StatusCode}");
        var outcome = await FhirServer.ReadAsync<OperationOutcome>(response);
        Assert.Equal(code, outcome.Issue.First(i => i.Severity == OperationOutcome.IssueSeverity.Error).Code);
        await AssertStillTakesAValidCreateAsync();
    }

    [Fact]
    public async Task Create_Oversize_Answers413AndStoresNothing()
    {
        var before = await server.MessageCountAsync();
        var body = Encoding.UTF8.GetBytes(Samples.Delivery(extra: $",\"text\":{{\"status\":\"generated\",\"div\":\"<div xmlns=\\\"http://www.w3.org/1999/xhtml\\\">{new string('x', 2 * FhirServer.MaxBodyBytes)}</div>\"}}"));

        using var response = await server.PostAsync("fhir/SupplyDelivery", body, "application/fhir+json");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(OperationOutcome.IssueType.TooCostly, (await FhirServer.ReadAsync<OperationOutcome>(response)).Issue[0].Code);
        Assert.Equal(before, await server.MessageCountAsync());
        await AssertStillTakesAValidCreateAsync();
    }

    [Fact]
    public async Task Create_RepeatedIdempotencyKey_AnswersTheFirstIdAndStoresNothing()
    {
        var key = "sd-" + Guid.NewGuid().ToString("N");
        using var first = await server.PostJsonAsync("fhir/SupplyDelivery", Samples.Delivery(code: "IDEM-1"), key);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var before = await server.MessageCountAsync();

        using var repeat = await server.PostJsonAsync("fhir/SupplyDelivery", Samples.Delivery(code: "IDEM-1"), key);

        Assert.Equal(HttpStatusCode.Created, repeat.StatusCode);
        Assert.Equal(IdFromLocation(first), IdFromLocation(repeat));
        Assert.Equal("true", repeat.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(before, await server.MessageCountAsync());
    }

    [Fact]
    public async Task Transaction_RepeatedIdempotencyKey_AnswersTheSameLocations()
    {
        var key = "tx-" + Guid.NewGuid().ToString("N");
        var bundle = Samples.Bundle("transaction", Samples.Delivery(), Samples.Delivery(quantity: "4"));
        using var first = await server.PostJsonAsync("fhir", bundle, key);
        var before = await server.MessageCountAsync();

        using var repeat = await server.PostJsonAsync("fhir", bundle, key);

        Assert.Equal(HttpStatusCode.OK, repeat.StatusCode);
        Assert.Equal("true", repeat.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(
            (await FhirServer.ReadAsync<Bundle>(first)).Entry.Select(e => e.Response!.Location),
            (await FhirServer.ReadAsync<Bundle>(repeat)).Entry.Select(e => e.Response!.Location));
        Assert.Equal(before, await server.MessageCountAsync());
    }

    [Theory]
    [InlineData("fhir/Nonsense", HttpStatusCode.NotFound, OperationOutcome.IssueType.NotFound)]
    [InlineData("fhir/Patient", HttpStatusCode.NotFound, OperationOutcome.IssueType.NotSupported)]
    public async Task Create_ResourceTypeNoChannelTakes_Answers404(string path, HttpStatusCode status, OperationOutcome.IssueType code)
    {
        using var response = await server.PostJsonAsync(path, """{"resourceType":"Patient"}""");

        Assert.Equal(status, response.StatusCode);
        Assert.Equal(code, (await FhirServer.ReadAsync<OperationOutcome>(response)).Issue[0].Code);
    }

    [Fact]
    public async Task Create_UnsupportedMediaType_Answers415()
    {
        using var response = await server.PostAsync("fhir/SupplyDelivery", Encoding.UTF8.GetBytes(Samples.Delivery()), "text/plain");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal(OperationOutcome.IssueType.NotSupported, (await FhirServer.ReadAsync<OperationOutcome>(response)).Issue[0].Code);
    }

    [Fact]
    public async Task Read_UnknownId_Answers404OperationOutcome()
    {
        using var response = await server.Sinew.Http.GetAsync("fhir/SupplyDelivery/999999999", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(OperationOutcome.IssueType.NotFound, (await FhirServer.ReadAsync<OperationOutcome>(response)).Issue[0].Code);
    }
}
