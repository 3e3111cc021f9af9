using System.Globalization;
using Hl7.Fhir.FhirPath;
using Hl7.Fhir.Model;

namespace Sinew.Mapping.Inputs;

/// <summary>FHIRPath on a FHIR resource or element, evaluated by Firely's engine.</summary>
public sealed class FhirScope(Base node) : IMappingScope
{
    public Base Node => node;

    public IReadOnlyList<string> Values(string path) =>
        Select(path).Select(Text).Where(v => v.Length > 0).ToList();

    public IEnumerable<IMappingScope> Each(string path) => Select(path).Select(n => new FhirScope(n)).ToList();

    private IEnumerable<Base> Select(string path)
    {
        try
        {
            return node.Select(path).OfType<Base>().ToList();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new MappingException($"FHIRPath '{path}' failed: {ex.Message}");
        }
    }

    private static string Text(Base value) => value switch
    {
        FhirDecimal d => d.Value?.ToString(CultureInfo.InvariantCulture) ?? "",
        Integer i => i.Value?.ToString(CultureInfo.InvariantCulture) ?? "",
        PositiveInt i => i.Value?.ToString(CultureInfo.InvariantCulture) ?? "",
        UnsignedInt i => i.Value?.ToString(CultureInfo.InvariantCulture) ?? "",
        FhirBoolean b => b.Value is { } flag ? (flag ? "true" : "false") : "",
        PrimitiveType p => p.JsonValue is IFormattable f ? f.ToString(null, CultureInfo.InvariantCulture) : p.JsonValue?.ToString() ?? "",
        _ => "",
    };
}
