using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http;
using Sinew.Engine.Runtime;
using Sinew.Fhir.Parsing;

namespace Sinew.Fhir.Intake;

/// <summary><c>GET /fhir/metadata</c>: what this server does, so FHIR clients can discover it before they send.</summary>
internal static class FhirCapabilities
{
    public static FhirResult Answer(HttpContext http, SinewEngine engine)
    {
        var request = http.Request;
        var types = FhirTarget.All(engine).SelectMany(t => t.Source.Resources).Order(StringComparer.Ordinal).ToList();
        var baseUrl = $"{request.Scheme}://{request.Host}{request.PathBase}{FhirRoutes.Base}";
        return new FhirResult(StatusCodes.Status200OK, Build(types, baseUrl), FhirMediaType.ForResponse(request));
    }

    public static CapabilityStatement Build(IReadOnlyList<string> resourceTypes, string baseUrl)
    {
        var version = typeof(FhirCapabilities).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
        var rest = new CapabilityStatement.RestComponent
        {
            Mode = CapabilityStatement.RestfulCapabilityMode.Server,
            Documentation = "Sinew takes resources in and journals them durably before it answers; it does not search or update.",
            Interaction =
            [
                new CapabilityStatement.SystemInteractionComponent { Code = CapabilityStatement.SystemRestfulInteraction.Transaction, Documentation = "journaled whole, as one message" },
                new CapabilityStatement.SystemInteractionComponent { Code = CapabilityStatement.SystemRestfulInteraction.Batch, Documentation = "each valid entry journaled as its own message" },
            ],
        };
        foreach (var type in resourceTypes)
        {
            rest.Resource.Add(new CapabilityStatement.ResourceComponent
            {
                Type = type,
                Interaction =
                [
                    new CapabilityStatement.ResourceInteractionComponent { Code = CapabilityStatement.TypeRestfulInteraction.Create },
                    new CapabilityStatement.ResourceInteractionComponent { Code = CapabilityStatement.TypeRestfulInteraction.Read },
                ],
            });
        }
        return new CapabilityStatement
        {
            Status = PublicationStatus.Active,
            Date = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd"),
            Kind = CapabilityStatementKind.Instance,
            Software = new CapabilityStatement.SoftwareComponent { Name = "Sinew", Version = version },
            Implementation = new CapabilityStatement.ImplementationComponent { Description = "Sinew FHIR intake", Url = baseUrl },
            FhirVersion = FHIRVersion.N4_0_1,
            Format = ["json", "xml"],
            Rest = [rest],
        };
    }
}
