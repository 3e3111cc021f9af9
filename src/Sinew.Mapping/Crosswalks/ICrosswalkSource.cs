using Sinew.Engine.Config;

namespace Sinew.Mapping.Crosswalks;

/// <summary>
/// Where a crosswalk's rows can be pulled from besides its CSV file (an ERP's product or location list). Rows it
/// returns are merged under the CSV's: a row written by hand always wins over one pulled from a system.
/// </summary>
public interface ICrosswalkSource
{
    /// <summary>Reads the current rows: key → value columns (e.g. <c>code</c> → { <c>erpProduct</c>: … }).</summary>
    Task<IReadOnlyList<IReadOnlyDictionary<string, string>>> LoadAsync(CancellationToken cancellationToken);
}

/// <summary>Builds a crosswalk source from its settings (the <c>refresh:</c> section of a crosswalk); reports problems on the section.</summary>
public delegate ICrosswalkSource? CrosswalkSourceFactory(ConfigSection settings, ConnectorContext context);

/// <summary>The crosswalk source types a mapping may name (<c>refresh: { type: tryton, … }</c>).</summary>
public static class CrosswalkSources
{
    private static readonly Dictionary<string, CrosswalkSourceFactory> Factories = new(StringComparer.OrdinalIgnoreCase);
    private static readonly Lock Gate = new();

    public static void Register(string type, CrosswalkSourceFactory factory)
    {
        lock (Gate)
        {
            Factories[type] = factory;
        }
    }

    public static bool TryGet(string type, out CrosswalkSourceFactory factory)
    {
        lock (Gate)
        {
            return Factories.TryGetValue(type, out factory!);
        }
    }
}
