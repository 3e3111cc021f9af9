namespace Sinew.Host.Dashboard;

/// <summary>The log category of the dashboard's actions (<c>Sinew.Host.Dashboard.DashboardPageLog</c>).</summary>
internal sealed class DashboardPageLog;
