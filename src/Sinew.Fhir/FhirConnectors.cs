using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Builder;
using Sinew.Engine.Config;
using Sinew.Fhir.Intake;

namespace Sinew.Fhir;

/// <summary>Adds the FHIR pieces: the <c>fhir</c> source type and the <c>/fhir</c> endpoints.</summary>
public static class FhirConnectors
{
    /// <summary>Registers the <c>fhir</c> source type; resource types claimed by two channels of one configuration are an error.</summary>
    public static ConnectorRegistry Register(ConnectorRegistry registry)
    {
        // One claim table per configuration load (keyed by that load's diagnostics), held by this registry, not a static.
        var claims = new ConditionalWeakTable<ConfigDiagnostics, Dictionary<string, string>>();
        return registry.AddSource("fhir", (settings, context) => FhirSource.Create(settings, context, claims));
    }

    /// <summary>Maps <c>/fhir/metadata</c>, <c>POST /fhir/{type}</c>, <c>POST /fhir</c> and <c>GET /fhir/{type}/{id}</c>.</summary>
    public static WebApplication MapFhir(this WebApplication app)
    {
        FhirRoutes.Map(app);
        return app;
    }
}
