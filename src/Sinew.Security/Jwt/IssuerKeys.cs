using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Sinew.Security.Jwt;

/// <summary>
/// The identity provider's signing keys: from a JWKS file, or from <c>{issuer}/.well-known/openid-configuration</c> →
/// <c>jwks_uri</c>, cached and fetched again when a token names a key id not in the cache (at most every 30 seconds,
/// so tokens with made-up key ids cannot hammer the provider).
/// </summary>
internal sealed class IssuerKeys
{
    private static readonly TimeSpan MinRefreshInterval = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan MaxAge = TimeSpan.FromHours(12);

    private readonly OidcOptions _options;
    private readonly HttpClient _http;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _fetching = new(1, 1);
    private IReadOnlyList<SigningKey> _keys = [];
    private DateTimeOffset _fetchedAt = DateTimeOffset.MinValue;

    public IssuerKeys(OidcOptions options, HttpClient http, TimeProvider clock, ILogger logger)
    {
        _options = options;
        _http = http;
        _clock = clock;
        _logger = logger;
    }

    /// <summary>Keys that may verify a token with <paramref name="keyId"/>; fetched first when needed.</summary>
    public async ValueTask<IReadOnlyList<SigningKey>> GetAsync(string? keyId, bool refresh, CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow();
        var stale = now - _fetchedAt > MaxAge;
        var unknown = keyId is not null && !_keys.Any(k => k.KeyId == keyId);
        if (stale || ((refresh || unknown) && now - _fetchedAt > MinRefreshInterval))
        {
            await _fetching.WaitAsync(cancellationToken);
            try
            {
                if (_clock.GetUtcNow() - _fetchedAt > MinRefreshInterval || stale)
                {
                    await FetchAsync(cancellationToken);
                }
            }
            finally
            {
                _fetching.Release();
            }
        }
        return _keys;
    }

    private async Task FetchAsync(CancellationToken cancellationToken)
    {
        _fetchedAt = _clock.GetUtcNow();
        try
        {
            string json;
            if (_options.JwksFile is { } file)
            {
                json = await File.ReadAllTextAsync(file, cancellationToken);
            }
            else
            {
                var discovery = new Uri(_options.Issuer.TrimEnd('/') + "/.well-known/openid-configuration");
                using var document = JsonDocument.Parse(await _http.GetStringAsync(discovery, cancellationToken));
                if (!document.RootElement.TryGetProperty("jwks_uri", out var uri) || uri.ValueKind != JsonValueKind.String || !Uri.TryCreate(uri.GetString(), UriKind.Absolute, out var jwksUri))
                {
                    _logger.LogWarning("OIDC discovery at {Url} has no jwks_uri; people's tokens cannot be verified", discovery);
                    return;
                }
                if (!SecurityOptionsReader.IsSecureUrl(jwksUri))
                {
                    _logger.LogWarning("OIDC jwks_uri {Url} is not https (plain http is allowed on loopback only); not used", jwksUri);
                    return;
                }
                json = await _http.GetStringAsync(jwksUri, cancellationToken);
            }
            var keys = SigningKey.FromJwks(json, out var error);
            if (keys.Count == 0)
            {
                _logger.LogWarning("The identity provider's key set has no usable key: {Error}", error);
                return;
            }
            _keys = keys;
            _logger.LogInformation("Loaded {Count} signing key(s) of identity provider {Issuer}", keys.Count, _options.Issuer);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or JsonException or TaskCanceledException)
        {
            _logger.LogWarning("Could not load the identity provider's keys for {Issuer}: {Error}", _options.Issuer, ex.Message);
        }
    }
}
