using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Sinew.Engine.Config;

namespace Sinew.Audit;

/// <summary>The data protection and audit: the hash-chained audit log, encryption keys, tokenization part of the host: its <c>sinew.yaml</c> section, services and middleware.</summary>
public static class AuditModule
{
    public static ConnectorRegistry Register(ConnectorRegistry registry) => registry;

    public static IServiceCollection AddAudit(this IServiceCollection services, SinewConfig config, string dataDirectory) => services;

    public static WebApplication UseAudit(this WebApplication app) => app;
}
