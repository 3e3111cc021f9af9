using Sinew.Engine.Config;
using Sinew.Mapping.Crosswalks;

namespace Sinew.Erp.Tryton;

/// <summary>Adds the Tryton ERP pieces: the <c>tryton</c> destination and the <c>tryton</c> crosswalk source.</summary>
public static class TrytonConnectors
{
    public static ConnectorRegistry Register(ConnectorRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        CrosswalkSources.Register("tryton", TrytonCrosswalkSource.Create);
        return registry.AddDestination("tryton", TrytonDestination.Create);
    }
}
