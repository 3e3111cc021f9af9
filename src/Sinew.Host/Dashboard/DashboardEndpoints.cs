using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Sinew.Host.Dashboard;

/// <summary>The operator dashboard served at <c>/</c>.</summary>
public static class DashboardEndpoints
{
    public static IServiceCollection AddDashboard(this IServiceCollection services) => services;

    public static WebApplication MapDashboard(this WebApplication app) => app;
}
