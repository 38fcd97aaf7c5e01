using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Cairn.Hosting;
using Microsoft.AspNetCore.Builder;

namespace Cairn.Tests.Support;

/// <summary>
/// A real Cairn server on a loopback port over a temp data directory, with a fixed admin token and pepper
/// and one ingest key. Can be stopped and started again on the same data directory (and the same store).
/// </summary>
internal sealed class TestServer : IAsyncDisposable
{
    public const string AdminToken = "cat_test_admin_token_0123456789abcdef";
    public const string Pepper = "test-pepper-0123456789-abcdefghij";
    public const string Org = "org-test";
    public const string Game = "game-test";

    private readonly Dictionary<string, string?> _overrides;
    private readonly string? _store;
    private readonly PostgresDatabase? _database;
    private WebApplication? _app;
    private int _port;

    private TestServer(Dictionary<string, string?> overrides, string? store, PostgresDatabase? database)
    {
        _overrides = overrides;
        _store = store;
        _database = database;
        Directory.CreateDirectory(DataDirectory);
        Directory.CreateDirectory(CatalogsDirectory);
        Sql = new StoreSql(DatabasePath, database?.ConnectionString);
    }

    public TempDirectory Root { get; } = new();

    public string DataDirectory => Root.Combine("data");

    public string CatalogsDirectory => Root.Combine("catalogs");

    public string DatabasePath => Path.Combine(DataDirectory, "cairn.db");

    /// <summary>Direct SQL on the store this server runs on, SQLite file or PostgreSQL database.</summary>
    public StoreSql Sql { get; }

    public HttpClient Http { get; private set; } = null!;

    /// <summary>The running server's services (to look at its state, e.g. what the ingest budget holds).</summary>
    public IServiceProvider Services => _app?.Services ?? throw new InvalidOperationException("The server is not running.");

    /// <summary>An ingest key for <see cref="Org"/> and <see cref="Game"/>.</summary>
    public string IngestKey { get; private set; } = null!;

    /// <param name="overrides">Extra configuration (e.g. <c>Ingest:MaxBodyBytes</c>).</param>
    /// <param name="catalogs">YAML catalog files to write (file name → content) before the start.</param>
    /// <param name="store">
    /// <c>Storage:Store</c> as <c>cairn serve --store</c> takes it, e.g. a <see cref="PostgresDatabase.ConnectionString"/>;
    /// null for the default SQLite file under <see cref="DataDirectory"/> (<see cref="DatabasePath"/> is only that file).
    /// </param>
    public static Task<TestServer> StartAsync(
        IReadOnlyDictionary<string, string?>? overrides = null, IReadOnlyDictionary<string, string>? catalogs = null, string? store = null) =>
        StartAsync(overrides, catalogs, store, database: null);

    /// <summary>
    /// A server on a fresh database of <paramref name="postgres"/>, which the server owns: it is dropped when the
    /// server is disposed (a skip locally / a failure in CI without a PostgreSQL server).
    /// </summary>
    public static async Task<TestServer> StartAsync(
        PostgresServer postgres, IReadOnlyDictionary<string, string?>? overrides = null, IReadOnlyDictionary<string, string>? catalogs = null)
    {
        var database = await postgres.CreateDatabaseAsync();
        return await StartAsync(overrides, catalogs, database.ConnectionString, database);
    }

    private static async Task<TestServer> StartAsync(
        IReadOnlyDictionary<string, string?>? overrides, IReadOnlyDictionary<string, string>? catalogs, string? store, PostgresDatabase? database)
    {
        var all = new Dictionary<string, string?>
        {
            ["Access:AdminToken"] = AdminToken,
            ["Identity:Pepper"] = Pepper,
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }
        var server = new TestServer(all, store, database);
        try
        {
            foreach (var (name, yaml) in catalogs ?? new Dictionary<string, string>())
            {
                await File.WriteAllTextAsync(Path.Combine(server.CatalogsDirectory, name), yaml);
            }
            await server.StartAppAsync();
            server.IngestKey = await server.CreateIngestKeyAsync(Org, Game);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public async Task StopAsync()
    {
        Http?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _app = null;
        }
    }

    /// <summary>Stops the server and starts a new one on the same data directory (on a new port).</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        await StartAppAsync();
    }

    /// <summary>Stops; <see cref="StartAgainAsync"/> then listens on the same port (a client that keeps its address comes back).</summary>
    public async Task StopKeepingPortAsync()
    {
        _port = Http.BaseAddress!.Port;
        await StopAsync();
    }

    /// <summary>Starts again on the same data directory (on the same port after <see cref="StopKeepingPortAsync"/>).</summary>
    public Task StartAgainAsync() => StartAppAsync();

    /// <summary>Restarts on the same data directory with some configuration changed (e.g. a new pepper).</summary>
    public async Task RestartAsync(IReadOnlyDictionary<string, string?> changes)
    {
        foreach (var (key, value) in changes)
        {
            _overrides[key] = value;
        }
        await RestartAsync();
    }

    private async Task StartAppAsync()
    {
        var app = CairnServer.Build(
            new ServeSettings { DataDirectory = DataDirectory, Port = _port, CatalogsDirectory = CatalogsDirectory, Store = _store, Overrides = _overrides },
            TextWriter.Null);
        await app.StartAsync();
        _app = app;
        Http = new HttpClient { BaseAddress = CairnServer.ListeningAddress(app), Timeout = TimeSpan.FromSeconds(30) };
    }

    public async Task<string> CreateIngestKeyAsync(string org, string game)
    {
        using var response = await SendAsync(HttpMethod.Post, "/v1/admin/keys", AdminToken, JsonSerializer.Serialize(new { org, game }));
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        using var body = await ReadJsonAsync(response);
        return body.RootElement.GetProperty("key").GetString()!;
    }

    /// <summary>POST /v1/events with the ingest key (or the given token; "" for none).</summary>
    public Task<HttpResponseMessage> PostEventsAsync(string json, string? token = null) =>
        SendAsync(HttpMethod.Post, "/v1/events", token ?? IngestKey, json);

    public Task<HttpResponseMessage> PostEventsAsync(HttpContent content, string? token = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/events") { Content = content };
        Authorize(request, token ?? IngestKey);
        return Http.SendAsync(request);
    }

    public Task<HttpResponseMessage> GetAsAdminAsync(string path) => SendAsync(HttpMethod.Get, path, AdminToken, null);

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string token, string? json)
    {
        var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }
        Authorize(request, token);
        return Http.SendAsync(request);
    }

    /// <summary>Posts events and returns the 200 body (fails the test on another status).</summary>
    public async Task<JsonDocument> IngestAsync(string json)
    {
        using var response = await PostEventsAsync(json);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.OK, $"expected 200, got {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body);
    }

    public async Task<string> PlayerKeyAsync(string playerId, string org = Org)
    {
        using var response = await GetAsAdminAsync($"/v1/admin/players/lookup?org={Uri.EscapeDataString(org)}&playerId={Uri.EscapeDataString(playerId)}");
        response.EnsureSuccessStatusCode();
        using var body = await ReadJsonAsync(response);
        return body.RootElement.GetProperty("playerKey").GetString()!;
    }

    public static async Task<JsonDocument> ReadJsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync());

    private static void Authorize(HttpRequestMessage request, string token)
    {
        if (token.Length > 0)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        finally
        {
            Root.Dispose();
            if (_database is not null)
            {
                await _database.DisposeAsync();
            }
        }
    }
}
