using Sinew.Engine.Config;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sinew.Erp.Tryton;

/// <summary>
/// Calls a Tryton database over JSON-RPC: logs in, sends the user's context with every call, logs in again once
/// when the session expired (Tryton drops idle sessions after 5 minutes by default), and turns every failure into a
/// <see cref="TrytonException"/> that says whether a retry may help.
/// </summary>
public sealed class TrytonClient : IDisposable
{
    private static readonly string[] TransientPatterns =
    [
        "database is locked", "could not obtain lock", "could not serialize", "deadlock detected",
        "concurrent update", "concurrently updated", "connection refused", "server closed the connection",
    ];

    private readonly HttpClient _http;
    private readonly SemaphoreSlim _loginGate = new(1, 1);
    private Session? _session;
    private long _calls;
    private long _requestId;

    public TrytonClient(TrytonConnection connection, HttpMessageHandler? handler = null, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        Connection = connection;
        _http = new HttpClient(handler ?? OutboundAddress.CreateHandler())
        {
            Timeout = timeout ?? TimeSpan.FromSeconds(120),
        };
    }

    public TrytonConnection Connection { get; }

    /// <summary>HTTP requests sent so far, logins included (to see how well calls are batched).</summary>
    public long Calls => Interlocked.Read(ref _calls);

    /// <summary>Logs in now (otherwise the first call does), so a wrong password shows at once.</summary>
    public async Task LoginAsync(CancellationToken cancellationToken) => await RenewAsync(null, cancellationToken);

    /// <summary>A copy of the user's context (language, company, …) as <c>get_preferences</c> returned it.</summary>
    public async Task<JsonObject> GetContextAsync(CancellationToken cancellationToken)
    {
        var session = _session ?? await RenewAsync(null, cancellationToken);
        return session.NewContext();
    }

    /// <summary>Calls a method (e.g. <c>model.stock.move.search</c>) with the user's context appended as the last argument.</summary>
    public Task<JsonNode?> CallAsync(string method, JsonArray arguments, CancellationToken cancellationToken) =>
        CallAsync(method, arguments, null, cancellationToken);

    /// <summary>
    /// Calls a method with the user's context, overlaid with <paramref name="context"/> (e.g. <c>locations</c>,
    /// <c>stock_date_end</c>), appended as the last argument.
    /// </summary>
    public async Task<JsonNode?> CallAsync(string method, JsonArray arguments, JsonObject? context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var session = _session ?? await RenewAsync(null, cancellationToken);
        var (status, answer) = await SendAsync(method, WithContext(arguments, session, context), session.Authorization, cancellationToken);
        if (status == HttpStatusCode.Unauthorized)
        {
            // The session expired or was logged out: log in once more and try the call again, once.
            session = await RenewAsync(session, cancellationToken);
            (status, answer) = await SendAsync(method, WithContext(arguments, session, context), session.Authorization, cancellationToken);
            if (status == HttpStatusCode.Unauthorized)
            {
                throw new TrytonException($"Tryton refused the session of user '{Connection.User}' again right after logging in ({method})", isTransient: true, "HTTP 401");
            }
        }
        return Interpret(method, status, answer);
    }

    public async Task<IReadOnlyList<long>> SearchAsync(string model, JsonArray domain, CancellationToken cancellationToken)
    {
        var result = await CallAsync($"model.{model}.search", new JsonArray(domain.DeepClone(), 0, null, null), cancellationToken);
        return ToIds(result, model, "search");
    }

    public Task<IReadOnlyList<JsonObject>> ReadAsync(string model, IEnumerable<long> ids, IEnumerable<string> fields, CancellationToken cancellationToken) =>
        ReadAsync(model, ids, fields, null, cancellationToken);

    public async Task<IReadOnlyList<JsonObject>> ReadAsync(string model, IEnumerable<long> ids, IEnumerable<string> fields, JsonObject? context, CancellationToken cancellationToken)
    {
        var result = await CallAsync($"model.{model}.read", new JsonArray(TrytonValue.Ids(ids), TrytonValue.Strings(fields)), context, cancellationToken);
        return ToRecords(result, model, "read");
    }

    public Task<IReadOnlyList<JsonObject>> SearchReadAsync(string model, JsonArray domain, IEnumerable<string> fields, CancellationToken cancellationToken) =>
        SearchReadAsync(model, domain, fields, null, cancellationToken);

    public async Task<IReadOnlyList<JsonObject>> SearchReadAsync(string model, JsonArray domain, IEnumerable<string> fields, JsonObject? context, CancellationToken cancellationToken)
    {
        var result = await CallAsync($"model.{model}.search_read", new JsonArray(domain.DeepClone(), 0, null, null, TrytonValue.Strings(fields)), context, cancellationToken);
        return ToRecords(result, model, "search_read");
    }

    /// <summary>Creates records (one call for all of them) and returns their ids in the same order.</summary>
    public async Task<IReadOnlyList<long>> CreateAsync(string model, IEnumerable<JsonObject> values, CancellationToken cancellationToken)
    {
        var result = await CallAsync($"model.{model}.create", new JsonArray(new JsonArray([.. values.Select(v => v.DeepClone())])), cancellationToken);
        return ToIds(result, model, "create");
    }

    /// <summary>Runs a method on records, e.g. a workflow step: <c>ExecuteAsync("stock.shipment.internal", "done", ids)</c>.</summary>
    public Task<JsonNode?> ExecuteAsync(string model, string method, IEnumerable<long> ids, CancellationToken cancellationToken) =>
        CallAsync($"model.{model}.{method}", new JsonArray(TrytonValue.Ids(ids)), cancellationToken);

    private static JsonArray WithContext(JsonArray arguments, Session session, JsonObject? overlay)
    {
        var context = session.NewContext();
        if (overlay is not null)
        {
            foreach (var (key, value) in overlay)
            {
                context[key] = value?.DeepClone();
            }
        }
        var copy = (JsonArray)arguments.DeepClone();
        copy.Add(context);
        return copy;
    }

    private async Task<Session> RenewAsync(Session? stale, CancellationToken cancellationToken)
    {
        await _loginGate.WaitAsync(cancellationToken);
        try
        {
            if (_session is { } current && !ReferenceEquals(current, stale))
            {
                return current; // Another call logged in meanwhile.
            }
            var login = new JsonArray(Connection.User, new JsonObject { ["password"] = Connection.Password });
            var (status, answer) = await SendAsync("common.db.login", login, null, cancellationToken);
            if (status != HttpStatusCode.OK)
            {
                throw status switch
                {
                    HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new TrytonException($"Tryton refused the login of user '{Connection.User}' to database '{Connection.Database}' (check the user and password)", isTransient: true, "HTTP 401"),
                    HttpStatusCode.NotFound => new TrytonException($"Tryton at {Connection.Url} has no database '{Connection.Database}'", isTransient: true, "HTTP 404"),
                    _ => Classify("common.db.login", status),
                };
            }
            var result = Interpret("common.db.login", status, answer);
            if (result is not JsonArray { Count: 2 } pair || TrytonValue.ToId(pair[0]) is not { } userId || pair[1]?.GetValueKind() != JsonValueKind.String)
            {
                throw new TrytonException($"Tryton refused the login of user '{Connection.User}' to database '{Connection.Database}'", isTransient: true, "login");
            }
            var token = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Connection.User}:{userId}:{pair[1]!.GetValue<string>()}"));
            var authorization = new AuthenticationHeaderValue("Session", token);
            var (prefStatus, prefAnswer) = await SendAsync("model.res.user.get_preferences", new JsonArray(true, new JsonObject()), authorization, cancellationToken);
            if (Interpret("model.res.user.get_preferences", prefStatus, prefAnswer) is not JsonObject context)
            {
                throw new TrytonException("Tryton answered get_preferences without a context", isTransient: true, "preferences");
            }
            var session = new Session(userId, authorization, context.ToJsonString());
            _session = session;
            return session;
        }
        finally
        {
            _loginGate.Release();
        }
    }

    private async Task<(HttpStatusCode Status, JsonObject? Answer)> SendAsync(string method, JsonArray parameters, AuthenticationHeaderValue? authorization, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["method"] = method,
            ["params"] = parameters,
            ["id"] = Interlocked.Increment(ref _requestId),
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, Connection.Endpoint)
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = authorization;
        Interlocked.Increment(ref _calls);
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return (response.StatusCode, null);
            }
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            try
            {
                return (HttpStatusCode.OK, await JsonNode.ParseAsync(stream, cancellationToken: cancellationToken) as JsonObject);
            }
            catch (JsonException)
            {
                return (HttpStatusCode.OK, null);
            }
        }
        catch (HttpRequestException ex)
        {
            throw new TrytonException($"cannot reach Tryton at {Connection.Url} ({method}): {Describe(ex)}", isTransient: true, "connection", ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TrytonException($"Tryton at {Connection.Url} did not answer {method} within {_http.Timeout.TotalSeconds:0} s", isTransient: true, "timeout", ex);
        }
    }

    private static string Describe(HttpRequestException ex) =>
        ex.HttpRequestError == HttpRequestError.Unknown ? ex.Message : ex.HttpRequestError.ToString();

    private JsonNode? Interpret(string method, HttpStatusCode status, JsonObject? answer)
    {
        if (status != HttpStatusCode.OK)
        {
            throw Classify(method, status);
        }
        if (answer is null)
        {
            throw new TrytonException($"Tryton at {Connection.Url} answered {method} with something that is not JSON-RPC", isTransient: true, "protocol");
        }
        if (answer.TryGetPropertyValue("error", out var error) && error is not null)
        {
            throw ErrorFrom(method, error);
        }
        return answer["result"];
    }

    private TrytonException Classify(string method, HttpStatusCode status)
    {
        var code = (int)status;
        var transient = code >= 500 || status is HttpStatusCode.RequestTimeout or HttpStatusCode.Locked or HttpStatusCode.TooManyRequests or HttpStatusCode.Conflict or HttpStatusCode.Unauthorized;
        var what = status switch
        {
            HttpStatusCode.Forbidden => "access denied or no such method",
            HttpStatusCode.Locked => "record locked by another user",
            HttpStatusCode.TooManyRequests => "too many requests",
            HttpStatusCode.ServiceUnavailable => "service unavailable",
            _ => status.ToString(),
        };
        return new TrytonException($"Tryton at {Connection.Url} answered {method} with HTTP {code} ({what})", transient, $"HTTP {code}");
    }

    /// <summary>Tryton errors: <c>[class, args]</c> for its own exceptions, <c>[text, traceback]</c> for any other.</summary>
    private static TrytonException ErrorFrom(string method, JsonNode error)
    {
        if (error is not JsonArray { Count: > 0 } parts || parts[0]?.GetValueKind() != JsonValueKind.String)
        {
            return new TrytonException($"Tryton failed {method}: {Shorten(error.ToJsonString())}", isTransient: false, "error");
        }
        var kind = parts[0]!.GetValue<string>();
        var args = parts.Count > 1 ? parts[1] : null;
        string? Arg(int index) => args is JsonArray list && list.Count > index && list[index]?.GetValueKind() == JsonValueKind.String ? list[index]!.GetValue<string>() : null;
        switch (kind)
        {
            case "UserError":
                return new TrytonException(Arg(0) ?? $"Tryton refused {method}", isTransient: false, kind);
            case "UserWarning":
                return new TrytonException(Arg(1) ?? Arg(0) ?? $"Tryton warned on {method}", isTransient: false, kind);
            case "LoginException":
                return new TrytonException(Arg(1) ?? $"Tryton asks for more login parameters on {method}", isTransient: false, kind);
            case "ConcurrencyException":
                var text = args?.GetValueKind() == JsonValueKind.String ? args.GetValue<string>() : "records were modified meanwhile";
                return new TrytonException($"Tryton: {text}", isTransient: true, kind);
            default:
                var transient = TransientPatterns.Any(p => kind.Contains(p, StringComparison.OrdinalIgnoreCase));
                return new TrytonException($"Tryton failed {method}: {Shorten(kind)}", transient, transient ? "lock" : "error");
        }
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";

    private static IReadOnlyList<long> ToIds(JsonNode? result, string model, string method) =>
        result is JsonArray list
            ? [.. list.Select(n => TrytonValue.ToId(n) ?? throw Unexpected(model, method))]
            : throw Unexpected(model, method);

    private static IReadOnlyList<JsonObject> ToRecords(JsonNode? result, string model, string method) =>
        result is JsonArray list
            ? [.. list.Select(n => n as JsonObject ?? throw Unexpected(model, method))]
            : throw Unexpected(model, method);

    private static TrytonException Unexpected(string model, string method) =>
        new($"Tryton answered {model}.{method} with an unexpected result", isTransient: false, "protocol");

    public void Dispose()
    {
        _http.Dispose();
        _loginGate.Dispose();
    }

    /// <summary>A logged-in session; the context is kept as text so concurrent calls each parse their own copy.</summary>
    private sealed record Session(long UserId, AuthenticationHeaderValue Authorization, string ContextJson)
    {
        public JsonObject NewContext() => (JsonObject)JsonNode.Parse(ContextJson)!;
    }
}
