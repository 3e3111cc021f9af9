using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Sinew.Engine.Config;

namespace Sinew.Security;

/// <summary>The identity and access: authentication (OIDC/JWT bearer, SMART backend services, API keys, mTLS), roles and scopes, throttling part of the host: its <c>sinew.yaml</c> section, services and middleware.</summary>
public static class SecurityModule
{
    public static ConnectorRegistry Register(ConnectorRegistry registry) => registry;

    public static IServiceCollection AddSecurity(this IServiceCollection services, SinewConfig config, string dataDirectory) => services;

    public static WebApplication UseSecurity(this WebApplication app) => app;
}
