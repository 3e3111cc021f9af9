using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Sinew.Canonical;

/// <summary>How canonical records are written: camelCase, no nulls, unknown fields refused, required fields enforced.</summary>
public static class CanonicalJson
{
    /// <summary>The media type of a mapped payload: a JSON array of canonical records.</summary>
    public const string ContentType = "application/vnd.sinew.canonical+json";

    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>True when <paramref name="contentType"/> names a canonical payload.</summary>
    public static bool IsCanonical(string? contentType) =>
        contentType is not null && contentType.StartsWith(ContentType, StringComparison.OrdinalIgnoreCase);

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
            NumberHandling = JsonNumberHandling.Strict,
            MaxDepth = 32,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        };
        options.MakeReadOnly();
        return options;
    }
}
