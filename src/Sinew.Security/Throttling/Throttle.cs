using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Threading.RateLimiting;

namespace Sinew.Security.Throttling;

/// <summary>
/// Token buckets per client and per channel. HTTP asks without waiting (and answers 429 with Retry-After); MLLP waits
/// for its turn, which stops reading from that connection. Each refusal or wait counts in <c>sinew.throttled</c>
/// (tags: channel, client, transport — never anything from a message).
/// </summary>
public sealed class Throttle : IDisposable
{
    /// <summary>The meter of the security module.</summary>
    public const string MeterName = "Sinew.Security";

    private const int MaxTrackedClients = 10_000;

    private readonly ThrottleOptions? _options;
    private readonly ConcurrentDictionary<string, TokenBucketRateLimiter> _clients = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TokenBucketRateLimiter> _channels = new(StringComparer.Ordinal);
    private readonly Counter<long> _throttled;

    public Throttle(ThrottleOptions? options, IMeterFactory meters)
    {
        _options = options;
        _throttled = meters.Create(MeterName).CreateCounter<long>("sinew.throttled", description: "Requests refused (HTTP 429) or frames held back (MLLP) by a rate limit");
    }

    /// <summary>Whether any limit is configured.</summary>
    public bool IsActive => _options is not null && (_options.PerClient is not null || _options.PerChannel is not null || _options.Channels.Count > 0);

    /// <summary>Takes one token for <paramref name="client"/> (and <paramref name="channel"/>) now; the wait to suggest when there is none.</summary>
    public TimeSpan? TryTake(string client, string? channel, string transport)
    {
        foreach (var limiter in Limiters(client, channel))
        {
            using var lease = limiter.AttemptAcquire();
            if (!lease.IsAcquired)
            {
                Count(client, channel, transport);
                return lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) && retryAfter > TimeSpan.Zero ? retryAfter : TimeSpan.FromSeconds(1);
            }
        }
        return null;
    }

    /// <summary>Waits until <paramref name="client"/> (and <paramref name="channel"/>) have a token.</summary>
    public async ValueTask WaitAsync(string client, string? channel, string transport, CancellationToken cancellationToken)
    {
        var counted = false;
        foreach (var limiter in Limiters(client, channel))
        {
            while (true)
            {
                using var now = limiter.AttemptAcquire();
                if (now.IsAcquired)
                {
                    break;
                }
                if (!counted)
                {
                    Count(client, channel, transport);
                    counted = true;
                }
                using var later = await limiter.AcquireAsync(1, cancellationToken);
                if (later.IsAcquired)
                {
                    break;
                }
                await Task.Delay(later.TryGetMetadata(MetadataName.RetryAfter, out var wait) && wait > TimeSpan.Zero ? wait : TimeSpan.FromMilliseconds(100), cancellationToken);
            }
        }
    }

    private IEnumerable<TokenBucketRateLimiter> Limiters(string client, string? channel)
    {
        if (_options is null)
        {
            yield break;
        }
        if (_options.PerClient is { } perClient)
        {
            if (_clients.Count > MaxTrackedClients)
            {
                _clients.Clear();
            }
            yield return _clients.GetOrAdd(client, _ => Create(perClient));
        }
        if (channel is not null && (_options.Channels.GetValueOrDefault(channel) ?? _options.PerChannel) is { } perChannel)
        {
            yield return _channels.GetOrAdd(channel, _ => Create(perChannel));
        }
    }

    private void Count(string client, string? channel, string transport) =>
        _throttled.Add(1, new KeyValuePair<string, object?>("client", client), new KeyValuePair<string, object?>("channel", channel ?? ""), new KeyValuePair<string, object?>("transport", transport));

    private static TokenBucketRateLimiter Create(RateLimit limit) => new(new TokenBucketRateLimiterOptions
    {
        TokenLimit = limit.Burst,
        TokensPerPeriod = limit.Rate,
        ReplenishmentPeriod = limit.Per,
        QueueLimit = 10_000,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        AutoReplenishment = true,
    });

    public void Dispose()
    {
        foreach (var limiter in _clients.Values.Concat(_channels.Values))
        {
            limiter.Dispose();
        }
    }
}
