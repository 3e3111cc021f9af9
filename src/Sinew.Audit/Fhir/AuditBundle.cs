using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Sinew.Audit.Log;

namespace Sinew.Audit.Fhir;

/// <summary>A page of audit records as a FHIR <c>searchset</c> Bundle, and FHIR JSON without needless escapes.</summary>
public static class AuditBundle
{
    public static Bundle SearchSet(IReadOnlyList<AuditEntry> entries, string baseUrl, Uri? next)
    {
        var bundle = new Bundle { Type = Bundle.BundleType.Searchset, Timestamp = DateTimeOffset.UtcNow, Id = Guid.NewGuid().ToString("N") };
        foreach (var entry in entries)
        {
            var audit = AuditEventMapper.ToAuditEvent(entry);
            bundle.Entry.Add(new Bundle.EntryComponent
            {
                FullUrl = $"{baseUrl.TrimEnd('/')}/AuditEvent/{audit.Id}",
                Resource = audit,
                Search = new Bundle.SearchComponent { Mode = Bundle.SearchEntryMode.Match },
            });
        }
        if (next is not null)
        {
            bundle.Link.Add(new Bundle.LinkComponent { Relation = "next", Url = next.ToString() });
        }
        return bundle;
    }

    public static byte[] Json(Resource resource)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            FhirJsonSerializer.Default.Serialize(resource, writer, null);
        }
        return buffer.WrittenSpan.ToArray();
    }
}
