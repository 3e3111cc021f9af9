using Hl7.Fhir.FhirPath;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.FhirPath;
using Sinew.Canonical;
using Sinew.Fhir.Parsing;

namespace Sinew.Audit.Policy;

/// <summary>
/// The FHIR half of a de-identification profile: FHIRPath expressions evaluated (Firely, on the POCOs) on the message's
/// resource and on every resource inside it (Bundle entries, contained resources), so <c>Bundle.entry.resource…</c>,
/// <c>SupplyDelivery.patient</c> and the short <c>patient.identifier.value</c> all reach a resource in a Bundle.
/// <c>drop</c> removes the selected elements from their parents; <c>tokenize</c> replaces a string-valued primitive with
/// its token (string, id, code, uri, markdown) and removes anything else it selects (an object, a date, a coded enum), since
/// that cannot hold a token.
/// </summary>
public sealed class FhirProfile
{
    /// <summary>The nesting limit when parsing a body for the profile: the FHIR source's default.</summary>
    private const int MaxDepth = 64;

    private readonly IReadOnlyList<string> _drop;
    private readonly IReadOnlyList<string> _tokenize;

    public FhirProfile(IReadOnlyList<string> drop, IReadOnlyList<string> tokenize)
    {
        _drop = drop;
        _tokenize = tokenize;
    }

    /// <summary>Whether the profile has no FHIRPath entry (then FHIR messages pass as they are).</summary>
    public bool IsEmpty => _drop.Count == 0 && _tokenize.Count == 0;

    /// <summary>Whether <paramref name="expression"/> compiles as FHIRPath; the compiler's message otherwise.</summary>
    public static bool TryCompile(string expression, out string? problem)
    {
        try
        {
            new FhirPathCompiler().Compile(expression);
            problem = null;
            return true;
        }
#pragma warning disable CA1031 // the compiler throws several exception types for bad syntax; each is a config error here
        catch (Exception ex)
#pragma warning restore CA1031
        {
            problem = ex.Message;
            return false;
        }
    }

    /// <summary>
    /// The format of a body when it is a FHIR resource: a FHIR media type, or JSON/XML that looks like one
    /// (a <c>resourceType</c> member, the FHIR namespace); null otherwise.
    /// </summary>
    public static FhirFormat? Detect(string contentType, ReadOnlySpan<byte> body)
    {
        var format = FhirMediaType.ForStored(contentType);
        if (contentType.Contains("fhir", StringComparison.OrdinalIgnoreCase))
        {
            return format;
        }
        var start = body.TrimStart(" \t\r\n\xEF\xBB\xBF"u8);
        if (start.StartsWith("{"u8) && body.IndexOf("\"resourceType\""u8) >= 0)
        {
            return FhirFormat.Json;
        }
        return start.StartsWith("<"u8) && body.IndexOf("http://hl7.org/fhir"u8) >= 0 ? FhirFormat.Xml : null;
    }

    /// <summary>Applies the profile to a FHIR body; the body re-serialized in its own format, or the reason it cannot leave.</summary>
    public FhirProfileResult Apply(ReadOnlyMemory<byte> body, FhirFormat format, IFieldTokenizer? tokenizer)
    {
        var parsed = FhirParser.Parse(body, format, MaxDepth);
        if (parsed.Resource is not { } root || parsed.Issues.Any(i => i.IsError))
        {
            return FhirProfileResult.Refused("the FHIR resource cannot be parsed, so the de-identification profile cannot apply");
        }
        var parents = new Dictionary<Base, (Base Parent, string Name)>(ReferenceEqualityComparer.Instance);
        var resources = new List<Resource>();
        Walk(root, parents, resources);

        var dropped = Select(resources, _drop);
        var tokenized = Select(resources, _tokenize);
        foreach (var node in tokenized)
        {
            if (dropped.Contains(node))
            {
                continue;
            }
            if (node is FhirString or Id or Markdown or FhirUri or Code && node is PrimitiveType { JsonValue: string value } primitive)
            {
                primitive.JsonValue = (tokenizer ?? throw new InvalidOperationException("tokenization keys are not loaded")).Tokenize(value);
            }
            else
            {
                dropped.Add(node);
            }
        }
        foreach (var node in dropped)
        {
            if (ReferenceEquals(node, root))
            {
                return FhirProfileResult.Refused($"the de-identification profile selects the whole {root.TypeName}, so nothing of it may leave");
            }
            Remove(node, parents);
        }
        var bytes = format == FhirFormat.Xml ? FhirXmlSerializer.Default.SerializeToBytes(root) : FhirJsonSerializer.Default.SerializeToBytes(root);
        return FhirProfileResult.Changed(bytes);
    }

    private static HashSet<Base> Select(List<Resource> resources, IReadOnlyList<string> expressions)
    {
        var selected = new HashSet<Base>(ReferenceEqualityComparer.Instance);
        foreach (var expression in expressions)
        {
            foreach (var resource in resources)
            {
                foreach (var node in resource.Select(expression))
                {
                    if (node is not null)
                    {
                        selected.Add(node);
                    }
                }
            }
        }
        return selected;
    }

    /// <summary>Records each element's parent and name, and collects every resource (the root, entries, contained).</summary>
    private static void Walk(Base node, Dictionary<Base, (Base Parent, string Name)> parents, List<Resource> resources)
    {
        if (node is Resource resource)
        {
            resources.Add(resource);
        }
        if (node is PrimitiveType)
        {
            return;
        }
        foreach (var (name, value) in node.EnumerateElements())
        {
            switch (value)
            {
                case Base child:
                    parents.TryAdd(child, (node, name));
                    Walk(child, parents, resources);
                    break;
                case System.Collections.IEnumerable list and not string:
                    foreach (var item in list)
                    {
                        if (item is Base element)
                        {
                            parents.TryAdd(element, (node, name));
                            Walk(element, parents, resources);
                        }
                    }
                    break;
            }
        }
    }

    private static void Remove(Base node, Dictionary<Base, (Base Parent, string Name)> parents)
    {
        if (!parents.TryGetValue(node, out var place) || !place.Parent.TryGetValue(place.Name, out var current))
        {
            return;
        }
        if (current is System.Collections.IList list)
        {
            list.Remove(node);
            if (list.Count == 0)
            {
                place.Parent.SetValue(place.Name, null);
            }
        }
        else if (ReferenceEquals(current, node))
        {
            place.Parent.SetValue(place.Name, null);
        }
    }
}
