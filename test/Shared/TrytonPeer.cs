// Shared by the test projects that talk to a real Tryton (linked into each, not a library of its own).
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sinew.Testing;

/// <summary>
/// A real Tryton 6.0 server (Debian <c>tryton-server</c>) on a free loopback port with its own SQLite database,
/// copied from a template made once per machine (trytond-admin takes 15–60 s; a copy takes milliseconds). The
/// template already has a company attached to the admin user. Tests stop and start it again on the same database.
/// </summary>
internal sealed class TrytonPeer : IAsyncDisposable
{
    /// <summary>The modules the template database is made with.</summary>
    public static readonly IReadOnlyList<string> Modules = ["stock", "stock_supply", "purchase_request", "account_invoice_stock"];

    /// <summary>The database name (SQLite file <c>erp.sqlite</c>).</summary>
    public const string Database = "erp";

    /// <summary>The Tryton user the tests log in as.</summary>
    public const string User = "admin";

    private const string TemplateVersion = "company-v1";
    private static readonly string TemplateRoot = Path.Combine(Path.GetTempPath(), "sinew-tryton-template-6.0");
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly Queue<string> _log = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(120) };
    private readonly string _configFile;
    private Process? _process;
    private AuthenticationHeaderValue? _session;
    private string _contextJson = "{}";
    private long _requestId;

    private readonly bool _ownsFolder;

    private TrytonPeer(string folder, int port, string password, bool ownsFolder = true)
    {
        _ownsFolder = ownsFolder;
        Folder = folder;
        Port = port;
        Password = password;
        PasswordFile = Path.Combine(folder, "admin.pass");
        File.WriteAllText(PasswordFile, password);
        _configFile = Path.Combine(folder, "trytond.conf");
        File.WriteAllText(_configFile, Config(folder, port));
    }

    /// <summary>The per-test folder holding the database, the configuration and the password file.</summary>
    public string Folder { get; }

    public int Port { get; }

    /// <summary>The server's base address, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Url => new($"http://127.0.0.1:{Port}/");

    /// <summary>The admin password (random per template, never committed).</summary>
    public string Password { get; }

    /// <summary>A file holding the admin password, for <c>password: file:…</c> references and <c>TRYTONPASSFILE</c>.</summary>
    public string PasswordFile { get; }

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The last lines trytond wrote, for failure messages.</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return string.Join('\n', _log);
            }
        }
    }

    /// <summary>Copies the template (making it first if this machine has none) and starts trytond on it.</summary>
    public static async Task<TrytonPeer> StartNewAsync(CancellationToken cancellationToken = default)
    {
        var template = await EnsureTemplateAsync(cancellationToken);
        var folder = Path.Combine(Path.GetTempPath(), "sinew-tryton-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        File.Copy(Path.Combine(template, "erp.sqlite"), Path.Combine(folder, "erp.sqlite"));
        var peer = new TrytonPeer(folder, Ports.Free(), File.ReadAllText(Path.Combine(template, "admin.pass")).Trim());
        try
        {
            await peer.StartAsync(cancellationToken);
        }
        catch
        {
            await peer.DisposeAsync();
            throw;
        }
        return peer;
    }

    /// <summary>Starts trytond (again) on this peer's database and port and waits until it answers JSON-RPC.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (IsRunning)
        {
            return;
        }
        var info = new ProcessStartInfo("trytond")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Folder,
        };
        foreach (var arg in new[] { "-c", _configFile, "-d", Database })
        {
            info.ArgumentList.Add(arg);
        }
        try
        {
            _process = Process.Start(info) ?? throw new InvalidOperationException("trytond did not start");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("trytond is not installed: apt-get install --no-install-recommends tryton-server tryton-modules-stock tryton-modules-stock-supply tryton-modules-purchase-request tryton-modules-account-invoice-stock", ex);
        }
        _process.OutputDataReceived += (_, e) => Remember(e.Data);
        _process.ErrorDataReceived += (_, e) => Remember(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await WaitUntilAnsweringAsync(_process, cancellationToken);
    }

    /// <summary>Kills trytond (as a crash would); the database stays for <see cref="StartAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (_process is not { } process)
        {
            return;
        }
        _process = null;
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(wait.Token);
        process.Dispose();
    }

    /// <summary>Calls a JSON-RPC method as admin with the admin's context appended; throws on any Tryton error.</summary>
    public async Task<JsonNode?> CallAsync(string method, params JsonNode?[] arguments)
    {
        if (_session is null)
        {
            await LoginAsync();
        }
        var (status, answer) = await SendAsync(method, WithContext(arguments), _session);
        if (status == HttpStatusCode.Unauthorized)
        {
            await LoginAsync();
            (status, answer) = await SendAsync(method, WithContext(arguments), _session);
        }
        return Result(method, status, answer);
    }

    /// <summary>The admin's current context (from <c>get_preferences</c>).</summary>
    public async Task<JsonObject> ContextAsync()
    {
        if (_session is null)
        {
            await LoginAsync();
        }
        return (JsonObject)JsonNode.Parse(_contextJson)!;
    }

    /// <summary>Creates a currency, a party and a company, and makes it the admin's current company (once).</summary>
    public async Task<long> EnsureCompanyAsync()
    {
        var context = await ContextAsync();
        if (context["company"] is JsonValue existing && existing.GetValueKind() == JsonValueKind.Number)
        {
            return existing.GetValue<long>();
        }
        var currency = await CreateAsync("currency.currency", new JsonObject { ["name"] = "Euro", ["code"] = "EUR", ["symbol"] = "€" });
        var party = await CreateAsync("party.party", new JsonObject { ["name"] = "Sinew Test Hospital" });
        var company = await CreateAsync("company.company", new JsonObject { ["party"] = party, ["currency"] = currency });
        var users = await CallAsync("model.res.user.search", new JsonArray(new JsonArray("login", "=", User)), 0, null, null);
        await CallAsync("model.res.user.write", users!.DeepClone(), new JsonObject
        {
            ["companies"] = new JsonArray(new JsonArray("add", new JsonArray(company))),
            ["company"] = company,
        });
        await LoginAsync(); // The context now names the company.
        return company;
    }

    /// <summary>Creates a user in the named groups (e.g. "Stock", "Stock Force Assignment") with the admin's company as current.</summary>
    public async Task<long> CreateUserAsync(string login, string password, params string[] groups)
    {
        var company = await EnsureCompanyAsync();
        var groupIds = await CallAsync("model.res.group.search", new JsonArray(new JsonArray("name", "in", new JsonArray([.. groups.Select(g => (JsonNode?)g)]))), 0, null, null);
        if (groupIds!.AsArray().Count != groups.Length)
        {
            throw new InvalidOperationException($"Tryton has not all of the groups {string.Join(", ", groups)}");
        }
        return await CreateAsync("res.user", new JsonObject
        {
            ["name"] = login,
            ["login"] = login,
            ["password"] = password,
            ["groups"] = new JsonArray(new JsonArray("add", groupIds.DeepClone())),
            ["companies"] = new JsonArray(new JsonArray("add", new JsonArray(company))),
            ["company"] = company,
        });
    }

    /// <summary>Creates a storage location with a code inside the default warehouse's storage zone.</summary>
    public async Task<long> CreateStorageLocationAsync(string code, string? name = null)
    {
        var zone = await SearchOneAsync("stock.location", new JsonArray(new JsonArray("code", "=", "STO")));
        return await CreateAsync("stock.location", new JsonObject { ["name"] = name ?? code, ["code"] = code, ["type"] = "storage", ["parent"] = zone });
    }

    /// <summary>Creates a <c>lost_found</c> location with a code, where consumed stock goes.</summary>
    public Task<long> CreateConsumptionLocationAsync(string code, string? name = null) =>
        CreateAsync("stock.location", new JsonObject { ["name"] = name ?? code, ["code"] = code, ["type"] = "lost_found" });

    /// <summary>Creates a stockable product (template + variant) whose code is <paramref name="code"/>, in the unit with symbol <paramref name="unit"/>.</summary>
    public async Task<long> CreateProductAsync(string code, string unit = "u", string? name = null)
    {
        var uom = await SearchOneAsync("product.uom", new JsonArray(new JsonArray("symbol", "=", unit)));
        var template = await CreateAsync("product.template", new JsonObject
        {
            ["name"] = name ?? code,
            ["type"] = "goods",
            ["default_uom"] = uom,
            ["list_price"] = new JsonObject { ["__class__"] = "Decimal", ["decimal"] = "1" },
            ["products"] = new JsonArray(new JsonArray("create", new JsonArray(new JsonObject { ["suffix_code"] = code }))),
        });
        var ids = await CallAsync("model.product.product.search", new JsonArray(new JsonArray("template", "=", template)), 0, null, null);
        return ids!.AsArray()[0]!.GetValue<long>();
    }

    /// <summary>Sets stock by a confirmed inventory (no origin warning, unlike a move from a supplier).</summary>
    public async Task AddStockAsync(long location, long product, decimal quantity)
    {
        var company = await EnsureCompanyAsync();
        var inventory = await CreateAsync("stock.inventory", new JsonObject
        {
            ["location"] = location,
            ["company"] = company,
            ["date"] = Date(DateOnly.FromDateTime(DateTime.Now)),
            ["lines"] = new JsonArray(new JsonArray("create", new JsonArray(new JsonObject { ["product"] = product, ["quantity"] = quantity }))),
        });
        await CallAsync("model.stock.inventory.confirm", new JsonArray(inventory));
    }

    /// <summary>Quantity on hand of a product in a location (and its children) at the end of today.</summary>
    public async Task<decimal> OnHandAsync(long product, long location)
    {
        var rows = await CallWithContextAsync("model.product.product.read", new JsonObject
        {
            ["locations"] = new JsonArray(location),
            ["stock_date_end"] = Date(DateOnly.FromDateTime(DateTime.Now)),
        }, new JsonArray(product), new JsonArray("quantity"));
        return ToDecimal(rows!.AsArray()[0]!["quantity"]);
    }

    /// <summary>The internal shipments with this reference, oldest first.</summary>
    public async Task<IReadOnlyList<(long Id, string State)>> ShipmentsAsync(string reference)
    {
        var rows = await CallAsync("model.stock.shipment.internal.search_read", new JsonArray(new JsonArray("reference", "=", reference)), 0, null, new JsonArray(new JsonArray("id", "ASC")), new JsonArray("state"));
        return [.. rows!.AsArray().Select(r => (r!["id"]!.GetValue<long>(), r["state"]!.GetValue<string>()))];
    }

    /// <summary>Creates an internal shipment left in draft, as a crash after the create would leave it.</summary>
    public async Task<long> CreateDraftShipmentAsync(string reference, long from, long to, long product, decimal quantity)
    {
        var company = await EnsureCompanyAsync();
        var uom = (await CallAsync("model.product.product.read", new JsonArray(product), new JsonArray("default_uom")))!.AsArray()[0]!["default_uom"]!.GetValue<long>();
        return await CreateAsync("stock.shipment.internal", new JsonObject
        {
            ["reference"] = reference,
            ["company"] = company,
            ["from_location"] = from,
            ["to_location"] = to,
            ["moves"] = new JsonArray(new JsonArray("create", new JsonArray(new JsonObject
            {
                ["product"] = product,
                ["uom"] = uom,
                ["quantity"] = quantity,
                ["from_location"] = from,
                ["to_location"] = to,
                ["company"] = company,
            }))),
        });
    }

    /// <summary>Creates one record and returns its id.</summary>
    public async Task<long> CreateAsync(string model, JsonObject values)
    {
        var ids = await CallAsync($"model.{model}.create", new JsonArray(values));
        return ids!.AsArray()[0]!.GetValue<long>();
    }

    public static JsonObject Date(DateOnly date) => new()
    {
        ["__class__"] = "date",
        ["year"] = date.Year,
        ["month"] = date.Month,
        ["day"] = date.Day,
    };

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _http.Dispose();
        if (!_ownsFolder)
        {
            return;
        }
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task<long> SearchOneAsync(string model, JsonArray domain)
    {
        var ids = (await CallAsync($"model.{model}.search", domain, 0, 1, null))!.AsArray();
        return ids.Count == 1 ? ids[0]!.GetValue<long>() : throw new InvalidOperationException($"Tryton has no {model} matching {domain.ToJsonString()}");
    }

    private async Task<JsonNode?> CallWithContextAsync(string method, JsonObject overlay, params JsonNode?[] arguments)
    {
        if (_session is null)
        {
            await LoginAsync();
        }
        var parameters = new JsonArray([.. arguments.Select(a => a?.DeepClone())]);
        var context = (JsonObject)JsonNode.Parse(_contextJson)!;
        foreach (var (key, value) in overlay)
        {
            context[key] = value?.DeepClone();
        }
        parameters.Add(context);
        var (status, answer) = await SendAsync(method, parameters, _session);
        return Result(method, status, answer);
    }

    private JsonArray WithContext(JsonNode?[] arguments) =>
        new([.. arguments.Select(a => a?.DeepClone()), JsonNode.Parse(_contextJson)]);

    private async Task LoginAsync()
    {
        var (status, answer) = await SendAsync("common.db.login", new JsonArray(User, new JsonObject { ["password"] = Password }), null);
        var pair = Result("common.db.login", status, answer)!.AsArray();
        var token = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{pair[0]!.GetValue<long>()}:{pair[1]!.GetValue<string>()}"));
        var session = new AuthenticationHeaderValue("Session", token);
        var (prefStatus, prefAnswer) = await SendAsync("model.res.user.get_preferences", new JsonArray(true, new JsonObject()), session);
        _contextJson = Result("model.res.user.get_preferences", prefStatus, prefAnswer)!.ToJsonString();
        _session = session;
    }

    private async Task<(HttpStatusCode Status, JsonObject? Answer)> SendAsync(string method, JsonArray parameters, AuthenticationHeaderValue? session)
    {
        var body = new JsonObject { ["method"] = method, ["params"] = parameters, ["id"] = Interlocked.Increment(ref _requestId) };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Url, Database + "/"))
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = session;
        using var response = await _http.SendAsync(request);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return (response.StatusCode, null);
        }
        return (HttpStatusCode.OK, JsonNode.Parse(await response.Content.ReadAsStringAsync()) as JsonObject);
    }

    private JsonNode? Result(string method, HttpStatusCode status, JsonObject? answer)
    {
        if (status != HttpStatusCode.OK || answer is null)
        {
            throw new InvalidOperationException($"Tryton answered {method} with HTTP {(int)status}\n{Log}");
        }
        if (answer["error"] is { } error)
        {
            throw new InvalidOperationException($"Tryton refused {method}: {error.ToJsonString()}");
        }
        return answer["result"];
    }

    private static decimal ToDecimal(JsonNode? node) => node switch
    {
        JsonObject obj => decimal.Parse(obj["decimal"]!.GetValue<string>(), CultureInfo.InvariantCulture),
        JsonValue value when value.TryGetValue<decimal>(out var exact) => exact,
        JsonValue value => (decimal)value.GetValue<double>(),
        _ => 0m,
    };

    private void Remember(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_log)
        {
            _log.Enqueue(line);
            while (_log.Count > 200)
            {
                _log.Dequeue();
            }
        }
    }

    private async Task WaitUntilAnsweringAsync(Process process, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (process.HasExited)
            {
                throw new InvalidOperationException($"trytond exited with code {process.ExitCode} while starting\n{Log}");
            }
            try
            {
                using var content = new StringContent("""{"method":"common.server.version","params":[],"id":0}""", Encoding.UTF8, "application/json");
                using var response = await probe.PostAsync(Url, content, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"trytond did not answer on {Url} within {StartTimeout.TotalSeconds} s\n{Log}");
            }
            await Task.Delay(200, cancellationToken);
        }
    }

    /// <summary>Makes the template database once per machine (other test processes wait on a lock file) and returns its folder.</summary>
    private static async Task<string> EnsureTemplateAsync(CancellationToken cancellationToken)
    {
        var folder = Path.Combine(TemplateRoot, string.Join('+', Modules.Order(StringComparer.Ordinal)) + "." + TemplateVersion);
        var ready = Path.Combine(folder, "ready");
        if (File.Exists(ready))
        {
            return folder;
        }
        Directory.CreateDirectory(TemplateRoot);
        await using var gate = await LockAsync(folder + ".lock", cancellationToken);
        if (File.Exists(ready))
        {
            return folder; // Another process made it while this one waited.
        }
        var building = folder + ".building-" + Guid.NewGuid().ToString("N");
        Directory.CreateDirectory(building);
        try
        {
            await BuildTemplateAsync(building, cancellationToken);
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true); // A half-made template from a killed run.
            }
            Directory.Move(building, folder);
            await File.WriteAllTextAsync(ready, DateTime.UtcNow.ToString("O"), cancellationToken);
            return folder;
        }
        finally
        {
            if (Directory.Exists(building))
            {
                Directory.Delete(building, recursive: true);
            }
        }
    }

    private static async Task BuildTemplateAsync(string folder, CancellationToken cancellationToken)
    {
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(12)).ToLowerInvariant();
        var passwordFile = Path.Combine(folder, "admin.pass");
        await File.WriteAllTextAsync(passwordFile, password, cancellationToken);
        var config = Path.Combine(folder, "trytond.conf");
        await File.WriteAllTextAsync(config, Config(folder, Ports.Free()), cancellationToken);
        await File.WriteAllBytesAsync(Path.Combine(folder, "erp.sqlite"), [], cancellationToken);
        var info = new ProcessStartInfo("trytond-admin")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = folder,
        };
        foreach (var arg in new[] { "-c", config, "-d", Database, "--all", "--email", "admin@example.org", "-u" }.Concat(Modules).Append("--activate-dependencies"))
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment["TRYTONPASSFILE"] = passwordFile;
        using (var admin = StartProcess(info, "trytond-admin"))
        {
            var output = admin.StandardOutput.ReadToEndAsync(cancellationToken);
            var errors = admin.StandardError.ReadToEndAsync(cancellationToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromMinutes(10));
            try
            {
                await admin.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                admin.Kill(entireProcessTree: true);
                throw;
            }
            if (admin.ExitCode != 0)
            {
                var text = (await output) + (await errors);
                throw new InvalidOperationException($"trytond-admin failed with code {admin.ExitCode}:\n{text[Math.Max(0, text.Length - 4000)..]}");
            }
        }
        // Sets the company up once, in the template, so every copy starts with it.
        await using (var peer = new TrytonPeer(folder, Ports.Free(), password, ownsFolder: false))
        {
            await peer.StartAsync(cancellationToken);
            await peer.EnsureCompanyAsync();
        }
        File.Delete(Path.Combine(folder, "trytond.conf"));
    }

    private static Process StartProcess(ProcessStartInfo info, string name)
    {
        try
        {
            return Process.Start(info) ?? throw new InvalidOperationException($"{name} did not start");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException($"{name} is not installed: apt-get install --no-install-recommends tryton-server tryton-modules-stock tryton-modules-stock-supply tryton-modules-purchase-request tryton-modules-account-invoice-stock", ex);
        }
    }

    /// <summary>An exclusive lock on a file, held across processes until disposed.</summary>
    private static async Task<FileStream> LockAsync(string path, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(10);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(500, cancellationToken);
            }
        }
    }

    private static string Config(string folder, int port)
    {
        var template = File.ReadAllText(FindConfigTemplate());
        return template.Replace("@DATA@", folder, StringComparison.Ordinal).Replace("@PORT@", port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    private static string FindConfigTemplate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "test", "peers", "tryton", "trytond.conf");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new InvalidOperationException("cannot find test/peers/tryton/trytond.conf above " + AppContext.BaseDirectory);
    }
}
