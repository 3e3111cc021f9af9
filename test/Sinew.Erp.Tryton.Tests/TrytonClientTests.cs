using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Sinew.Erp.Tryton.Tests;

[Collection("tryton")]
public sealed class TrytonClientTests(TrytonFixture tryton)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Login_ThenContext_NamesTheUsersCompany()
    {
        using var client = new TrytonClient(tryton.Connection);

        await client.LoginAsync(Cancel);
        var context = await client.GetContextAsync(Cancel);

        Assert.NotNull(TrytonValue.ToId(context["company"]));
        Assert.Equal(2, client.Calls); // login + get_preferences
    }

    [Fact]
    public async Task Call_AfterTheSessionWasLoggedOut_LogsInAgainOnceAndSucceeds()
    {
        var recorder = new RecordingHandler();
        using var client = new TrytonClient(tryton.Connection, recorder);
        Assert.NotEmpty(await client.SearchAsync("stock.location", [], Cancel));
        var session = recorder.LastAuthorization!;

        // Ends the session on the server, as Tryton does after 5 idle minutes.
        using (var http = new HttpClient())
        using (var logout = new HttpRequestMessage(HttpMethod.Post, tryton.Connection.Endpoint))
        {
            logout.Headers.Authorization = session;
            logout.Content = new StringContent("""{"method":"common.db.logout","params":[],"id":1}""", Encoding.UTF8, "application/json");
            (await http.SendAsync(logout, Cancel)).EnsureSuccessStatusCode();
        }
        var before = recorder.Statuses.Count;
        var locations = await client.SearchAsync("stock.location", [], Cancel);

        Assert.NotEmpty(locations);
        Assert.Equal([401, 200, 200, 200], recorder.Statuses.Skip(before)); // refused, login, preferences, the call again
        Assert.NotEqual(session.Parameter, recorder.LastAuthorization!.Parameter);
    }

    [Fact]
    public async Task Call_AfterTrytonRestarted_Succeeds()
    {
        using var client = new TrytonClient(tryton.Connection);
        await client.LoginAsync(Cancel);

        await tryton.Peer.StopAsync();
        await tryton.Peer.StartAsync(Cancel);

        Assert.NotEmpty(await client.SearchAsync("stock.location", [], Cancel));
    }

    [Fact]
    public async Task Call_TrytonRefusesWithUserError_IsPermanentWithTrytonsMessage()
    {
        using var client = new TrytonClient(tryton.Connection);

        var error = await Assert.ThrowsAsync<TrytonException>(() => client.CreateAsync("currency.currency", [new JsonObject { ["name"] = "No code" }], Cancel));

        Assert.False(error.IsTransient);
        Assert.Equal("UserError", error.ErrorClass);
        Assert.Contains("Code", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Call_UnknownMethod_IsPermanent()
    {
        using var client = new TrytonClient(tryton.Connection);

        var error = await Assert.ThrowsAsync<TrytonException>(() => client.ExecuteAsync("stock.location", "no_such_method", [1], Cancel));

        Assert.False(error.IsTransient);
        Assert.Equal("HTTP 403", error.ErrorClass);
    }

    [Fact]
    public async Task Call_NothingListening_IsTransient()
    {
        using var client = new TrytonClient(new TrytonConnection(new Uri($"http://127.0.0.1:{Ports.Free()}/"), "erp", "admin", "x"));

        var error = await Assert.ThrowsAsync<TrytonException>(() => client.SearchAsync("stock.location", [], Cancel));

        Assert.True(error.IsTransient);
        Assert.Contains("cannot reach Tryton", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_WrongPassword_IsRefusedWithTheUserName()
    {
        using var client = new TrytonClient(new TrytonConnection(tryton.Peer.Url, TrytonPeer.Database, TrytonPeer.User, "wrong-password"));

        var error = await Assert.ThrowsAsync<TrytonException>(() => client.LoginAsync(Cancel));

        Assert.Contains("'admin'", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Records each answer's status and the session header sent, without changing anything.</summary>
    private sealed class RecordingHandler() : DelegatingHandler(new SocketsHttpHandler())
    {
        public List<int> Statuses { get; } = [];

        public AuthenticationHeaderValue? LastAuthorization { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Headers.Authorization is { } authorization)
            {
                LastAuthorization = authorization;
            }
            var response = await base.SendAsync(request, cancellationToken);
            lock (Statuses)
            {
                Statuses.Add((int)response.StatusCode);
            }
            return response;
        }
    }
}
