using System.Net.Http.Json;
using System.Text.Json;

namespace Sinew.Reliability.Tests.Support;

/// <summary>Reads Sinew's admin API the way an operator's script would.</summary>
internal static class Admin
{
    public static async Task<JsonElement> GetJsonAsync(this SinewProcess sinew, string path)
    {
        using var response = await sinew.Http.GetAsync(path);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>The <c>circuit</c> of a destination queue in <c>GET /api/v1/queues</c>.</summary>
    public static async Task<string> CircuitAsync(this SinewProcess sinew, string channel, string destination)
    {
        foreach (var queue in (await sinew.GetJsonAsync("api/v1/queues")).EnumerateArray())
        {
            if (queue.GetProperty("channel").GetString() == channel && queue.GetProperty("destination").GetString() == destination)
            {
                return queue.GetProperty("circuit").GetString()!;
            }
        }
        throw new InvalidOperationException($"no queue {channel}/{destination} in /api/v1/queues");
    }

    /// <summary>The counts of a channel in <c>GET /api/v1/channels</c>.</summary>
    public static async Task<JsonElement> CountsAsync(this SinewProcess sinew, string channel)
    {
        foreach (var item in (await sinew.GetJsonAsync("api/v1/channels")).EnumerateArray())
        {
            if (item.GetProperty("name").GetString() == channel)
            {
                return item.GetProperty("counts");
            }
        }
        throw new InvalidOperationException($"no channel {channel} in /api/v1/channels");
    }

    /// <summary>The attempts of the first delivery of a message, from <c>GET /api/v1/messages/{id}</c>.</summary>
    public static async Task<(string Status, IReadOnlyList<(DateTimeOffset At, string Outcome)> Attempts)> DeliveryAsync(this SinewProcess sinew, long id)
    {
        var detail = await sinew.GetJsonAsync($"api/v1/messages/{id}");
        var deliveries = detail.GetProperty("deliveries");
        if (deliveries.GetArrayLength() == 0)
        {
            return ("not-queued", []); // Journaled, not yet through the pipeline to its outbox.
        }
        var delivery = deliveries[0];
        var attempts = delivery.GetProperty("history").EnumerateArray()
            .Select(a => (a.GetProperty("at").GetDateTimeOffset(), a.GetProperty("outcome").GetString()!)).ToList();
        return (delivery.GetProperty("status").GetString()!, attempts);
    }

    /// <summary>Posts a body to an http source; returns the message id of the 202.</summary>
    public static async Task<long> PostAsync(this SinewProcess sinew, string channel, string body, string? idempotencyKey = null, string? partition = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"in/{channel}") { Content = new StringContent(body) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }
        if (partition is not null)
        {
            request.Headers.Add("X-Partition-Key", partition);
        }
        using var response = await sinew.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != System.Net.HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"POST /in/{channel} answered {(int)response.StatusCode}: {text}");
        }
        return JsonDocument.Parse(text).RootElement.GetProperty("messageId").GetInt64();
    }

    /// <summary>Polls <paramref name="condition"/> until it holds or <paramref name="timeout"/> passes; returns whether it held.</summary>
    public static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout, int pollMs = 100)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await condition())
            {
                return true;
            }
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }
            await Task.Delay(pollMs);
        }
    }

    /// <summary>
    /// Waits for <paramref name="condition"/> as long as <paramref name="progress"/> keeps rising: a backlog that drains
    /// slowly on a loaded machine is not a failure, one that stops draining for <paramref name="stall"/> is.
    /// </summary>
    public static async Task<bool> WhileProgressingAsync(Func<Task<bool>> condition, Func<long> progress, TimeSpan stall, TimeSpan cap, int pollMs = 250)
    {
        var end = DateTime.UtcNow + cap;
        var last = progress();
        var stallAt = DateTime.UtcNow + stall;
        while (!await condition())
        {
            var now = DateTime.UtcNow;
            var current = progress();
            if (current > last)
            {
                last = current;
                stallAt = now + stall;
            }
            if (now > stallAt || now > end)
            {
                return false;
            }
            await Task.Delay(pollMs);
        }
        return true;
    }

    public static Task<bool> EventuallyAsync(Func<bool> condition, TimeSpan timeout, int pollMs = 100) =>
        EventuallyAsync(() => Task.FromResult(condition()), timeout, pollMs);
}
