using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using Sinew.Core.Audit;
using Sinew.Engine.Config;
using Sinew.Engine.Runtime;
using Sinew.Mllp;
using Sinew.Security.Access;
using Sinew.Security.ApiKeys;
using Sinew.Security.Jwt;
using Sinew.Security.Throttling;
using Sinew.Security.Tokens;

namespace Sinew.Security;

/// <summary>The identity and access: authentication (OIDC/JWT bearer, SMART backend services, API keys, mTLS), roles and scopes, throttling part of the host: its <c>sinew.yaml</c> section, services and middleware.</summary>
public static class SecurityModule
{
    /// <summary>The one start-up line of a Sinew that runs without authentication.</summary>
    public const string OpenNotice = "security: open (loopback only) — configure security: in sinew.yaml before listening on a network";

    /// <summary>Owns the <c>security:</c> section of <c>sinew.yaml</c>.</summary>
    public static ConnectorRegistry Register(ConnectorRegistry registry) => registry.AddSection("security", SecurityOptionsReader.Read);

    /// <summary>
    /// Registers the security services; throws <see cref="SecurityConfigurationException"/> when Sinew would listen
    /// beyond loopback without authentication (the loopback rule).
    /// </summary>
    public static IServiceCollection AddSecurity(this IServiceCollection services, SinewConfig config, string dataDirectory)
    {
        var options = config.Section<SecurityOptions>("security") ?? SecurityOptions.Open;
        if (ExposureCheck.Problems(config) is { Count: > 0 } problems)
        {
            throw new SecurityConfigurationException(problems);
        }
        services.TryAddSingleton<IAuditLog>(NoAuditLog.Instance);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(options);
        services.AddSingleton(_ => SecurityStore.Open(dataDirectory));
        services.AddSingleton(_ => SinewSigningKey.LoadOrCreate(dataDirectory));
        services.AddSingleton(sp => new Throttle(options.Throttle, sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.AddSingleton(sp => new Authenticator(options, sp.GetRequiredService<SinewSigningKey>(), sp.GetRequiredService<SecurityStore>(),
            options.Oidc is { } oidc
                ? new IssuerKeys(oidc, new HttpClient { Timeout = TimeSpan.FromSeconds(10) }, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>().CreateLogger("Sinew.Security"))
                : null,
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<TokenEndpoint>();
        services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddMeter(Throttle.MeterName));
        if (options.Https is { } https)
        {
            services.Configure<KestrelServerOptions>(kestrel => HttpsListener.Bind(kestrel, config.HttpListen, tls => ConfigureHttps(tls, https)));
        }
        return services;
    }

    /// <summary>Adds routing, the security middleware (before every endpoint) and the <c>/auth</c> and API key endpoints; attaches the MLLP gates.</summary>
    public static WebApplication UseSecurity(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<SecurityOptions>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Sinew.Security");
        app.UseRouting();
        app.UseMiddleware<SecurityMiddleware>();
        app.MapPost(TokenEndpoint.Path, (HttpContext http, TokenEndpoint endpoint, CancellationToken ct) => endpoint.HandleAsync(http, ct))
            .WithTags("auth").WithSummary("SMART backend services token endpoint: client_credentials with a private_key_jwt client assertion (RS384/ES384)")
            .DisableAntiforgery();
        app.MapGet("/auth/jwks.json", (SinewSigningKey key) => TypedResults.Content(key.JwksJson(), "application/jwk-set+json"))
            .WithTags("auth").WithSummary("The public key of the access tokens Sinew issues");
        ApiKeyEndpoints.Map(app);

        var engine = app.Services.GetRequiredService<SinewEngine>();
        var throttle = app.Services.GetRequiredService<Throttle>();
        if (options.Enforced || throttle.IsActive)
        {
            var audit = app.Services.GetRequiredService<IAuditLog>();
            foreach (var source in engine.Config.Channels.Select(c => c.Source).OfType<IMllpGatedSource>())
            {
                source.UseGate(new MllpAccessGate(source.Channel, options, throttle, audit));
            }
        }
        if (options.Enforced)
        {
            logger.LogInformation("security: enforced — people by OIDC {Oidc}, {Clients} system client(s), API keys {ApiKeys}, throttling {Throttle}",
                options.Oidc?.Issuer ?? "(off)", options.Clients.Count, options.ApiKeys ? "on" : "off", throttle.IsActive ? "on" : "off");
        }
        else
        {
            logger.LogWarning(OpenNotice);
        }
        return app;
    }

    private static void ConfigureHttps(HttpsConnectionAdapterOptions tls, HttpsOptions https)
    {
        tls.ServerCertificate = https.Certificate;
        tls.SslProtocols = System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13;
        if (https.ClientCertificateAuthorities is not { } roots)
        {
            return;
        }
        tls.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
        tls.CheckCertificateRevocation = false;
        tls.ClientCertificateValidation = (certificate, presented, _) =>
        {
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(roots);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.ApplicationPolicy.Add(new System.Security.Cryptography.Oid("1.3.6.1.5.5.7.3.2"));
            if (presented is not null)
            {
                foreach (var element in presented.ChainElements)
                {
                    chain.ChainPolicy.ExtraStore.Add(element.Certificate);
                }
            }
            return chain.Build(certificate);
        };
    }
}
