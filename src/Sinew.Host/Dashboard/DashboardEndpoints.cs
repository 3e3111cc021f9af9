using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Sinew.Host.Dashboard;

/// <summary>The operator dashboard served at <c>/</c>: overview, message browser, message detail, exception queue.</summary>
public static class DashboardEndpoints
{
    public static IServiceCollection AddDashboard(this IServiceCollection services)
    {
        // Form tokens only need to outlive a page view: keys in memory, nothing written to disk or the user's home.
        // A host that configures data protection itself (e.g. for sign-in cookies) registers first and wins.
        services.TryAddSingleton<IDataProtectionProvider>(_ => new EphemeralDataProtectionProvider());
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "sinew-antiforgery";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.HttpOnly = true;
            o.FormFieldName = "__sinew_form";
        });
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ThroughputHistory>();
        services.AddHostedService<ThroughputSampler>();
        return services;
    }

    public static WebApplication MapDashboard(this WebApplication app)
    {
        var ui = app.MapGroup("").ExcludeFromDescription();
        ui.MapGet("/", OverviewPage.GetAsync);
        ui.MapGet("/messages", MessagesPage.GetAsync);
        ui.MapGet("/messages/{id:long}", MessagePage.GetAsync);
        ui.MapGet("/messages/{id:long}/edit", EditPage.GetAsync);
        ui.MapGet("/exceptions", ExceptionsPage.GetAsync);
        ui.MapGet("/reports/variance", VariancePage.GetAsync);
        ui.MapGet("/assets/dashboard.css", (HttpContext context) => DashboardAssets.Serve(context, DashboardAssets.Stylesheet));
        ui.MapGet("/assets/dashboard.js", (HttpContext context) => DashboardAssets.Serve(context, DashboardAssets.Script));
        ui.MapGet("/assets/icon.svg", (HttpContext context) => DashboardAssets.Serve(context, DashboardAssets.Icon));
        ui.MapGet("/favicon.ico", (HttpContext context) => DashboardAssets.Serve(context, DashboardAssets.Icon));

        ui.MapPost("/channels/{name}/pause", (HttpContext context, string name, Admin.AdminService admin, CancellationToken ct) => DashboardActions.SetPausedAsync(context, name, true, admin, ct));
        ui.MapPost("/channels/{name}/resume", (HttpContext context, string name, Admin.AdminService admin, CancellationToken ct) => DashboardActions.SetPausedAsync(context, name, false, admin, ct));
        ui.MapPost("/messages/{id:long}/reprocess", DashboardActions.ReprocessAsync);
        ui.MapPost("/messages/{id:long}/discard", DashboardActions.DiscardAsync);
        ui.MapPost("/messages/{id:long}/edit", DashboardActions.SubmitEditedAsync);
        ui.MapPost("/exceptions/reprocess", DashboardActions.ReprocessSelectedAsync);
        ui.MapPost("/exceptions/discard", DashboardActions.DiscardSelectedAsync);
        return app;
    }
}
