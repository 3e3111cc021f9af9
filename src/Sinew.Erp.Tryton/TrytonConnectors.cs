using Sinew.Engine.Config;

namespace Sinew.Erp.Tryton;

/// <summary>Adds the Tryton ERP pieces to a registry.</summary>
public static class TrytonConnectors
{
    public static ConnectorRegistry Register(ConnectorRegistry registry) => registry;
}
