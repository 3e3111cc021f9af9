using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Sinew.Engine.Config;
using Sinew.Mapping.Crosswalks;

namespace Sinew.Erp.Tryton;

/// <summary>
/// Pulls crosswalk rows from any Tryton model (products, locations, …) so a mapping's lookup table follows the ERP
/// instead of a hand-kept CSV: each record becomes a row whose columns are the listed Tryton fields.
/// </summary>
public sealed partial class TrytonCrosswalkSource : ICrosswalkSource
{
    private readonly TrytonConnection _connection;
    private readonly string _model;
    private readonly IReadOnlyDictionary<string, string> _columns;
    private readonly JsonArray _domain;

    /// <param name="connection">Where Tryton is and who to log in as.</param>
    /// <param name="model">The Tryton model, e.g. <c>product.product</c> or <c>stock.location</c>.</param>
    /// <param name="columns">Crosswalk column → Tryton field (dotted paths such as <c>default_uom.symbol</c> work); must hold <c>key</c>.</param>
    /// <param name="domain">A Tryton search domain; empty takes every active record.</param>
    public TrytonCrosswalkSource(TrytonConnection connection, string model, IReadOnlyDictionary<string, string> columns, JsonArray? domain = null)
    {
        ArgumentNullException.ThrowIfNull(columns);
        if (!columns.ContainsKey("key"))
        {
            throw new ArgumentException("the columns must name the field of the 'key' column", nameof(columns));
        }
        _connection = connection;
        _model = model;
        _columns = columns;
        _domain = domain ?? [];
    }

    /// <summary>
    /// Reads a crosswalk's <c>refresh:</c> section: <c>url</c>, <c>database</c>, <c>user</c>, <c>password</c>,
    /// <c>model</c>, <c>fields</c> (column: Tryton field, with <c>key</c>) and the optional <c>domain</c>, a Tryton
    /// domain written as JSON, e.g. <c>'[["type", "=", "storage"]]'</c>.
    /// </summary>
    public static ICrosswalkSource? Create(ConfigSection settings, ConnectorContext context)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.MarkRead("type");
        settings.MarkRead("every"); // The mapping engine reads the schedule; the source only pulls.
        var connection = TrytonConnection.Read(settings);
        var model = settings.GetString("model", required: true);
        var hasFields = settings.Has("fields");
        var fields = settings.GetMap("fields");
        var domainText = settings.GetString("domain");
        var valid = connection is not null && model is not null;
        if (model is not null && !ModelName().IsMatch(model))
        {
            settings.Error("model", $"'{model}' is not a Tryton model name such as product.product or stock.location");
            valid = false;
        }
        if (!hasFields || !fields.ContainsKey("key"))
        {
            settings.Error("fields", "must map the 'key' column to a Tryton field, e.g. fields: { key: code, erpProduct: code, name: name }");
            valid = false;
        }
        foreach (var (column, field) in fields)
        {
            if (!FieldName().IsMatch(field))
            {
                settings.Error("fields", $"column '{column}': '{field}' is not a Tryton field name");
                valid = false;
            }
        }
        JsonArray? domain = null;
        if (domainText is not null)
        {
            try
            {
                domain = JsonNode.Parse(domainText) as JsonArray;
            }
            catch (JsonException)
            {
                domain = null;
            }
            if (domain is null)
            {
                settings.Error("domain", "must be a Tryton domain written as a JSON list, e.g. '[[\"type\", \"=\", \"storage\"]]'");
                valid = false;
            }
        }
        return valid ? new TrytonCrosswalkSource(connection!, model!, fields, domain) : null;
    }

    public async Task<IReadOnlyList<IReadOnlyDictionary<string, string>>> LoadAsync(CancellationToken cancellationToken)
    {
        using var client = new TrytonClient(_connection);
        var fields = _columns.Values.Distinct(StringComparer.Ordinal).ToList();
        var records = await client.SearchReadAsync(_model, _domain, fields, cancellationToken);
        var rows = new List<IReadOnlyDictionary<string, string>>(records.Count);
        foreach (var record in records)
        {
            var row = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (column, field) in _columns)
            {
                row[column] = TrytonValue.ToText(Field(record, field));
            }
            if (row["key"].Length > 0)
            {
                rows.Add(row);
            }
        }
        return rows;
    }

    /// <summary>A field of a read record; Tryton answers <c>a.b</c> as <c>{"a.": {"b": …}}</c>.</summary>
    private static JsonNode? Field(JsonObject record, string path)
    {
        var dot = path.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0)
        {
            return record[path];
        }
        return record[path[..(dot + 1)]] is JsonObject related ? Field(related, path[(dot + 1)..]) : null;
    }

    [GeneratedRegex("^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+$")]
    private static partial Regex ModelName();

    [GeneratedRegex("^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*$")]
    private static partial Regex FieldName();
}
