using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Cairn.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;

namespace Cairn.Client.Tests.Support;

/// <summary>
/// A real Cairn server (the same <see cref="CairnServer.Build"/> as tests/Cairn.Tests' TestServer) on a fixed loopback
/// port over a temp data directory, so it can be absent, stopped mid-request and started again where the client looks.
/// </summary>
internal sealed class LoopbackServer : IAsyncDisposable
{
    public const string AdminToken = "cat_test_admin_token_0123456789abcdef";
    public const string Org = "org-sdk";
    public const string Game = "game-sdk";

    private readonly Dictionary<string, string?> _overrides;
    private WebApplication? _app;

    public LoopbackServer(IReadOnlyDictionary<string, string?>? overrides = null, string? catalog = null)
    {
        Port = FreePort();
        Directory.CreateDirectory(DataDirectory);
        Directory.CreateDirectory(CatalogsDirectory);
        File.WriteAllText(Path.Combine(CatalogsDirectory, "game.yaml"), catalog ?? $"game: {Game}\npoints: []\n");
        _overrides = new Dictionary<string, string?>
        {
            ["Access:AdminToken"] = AdminToken,
            ["Identity:Pepper"] = "sdk-test-pepper-0123456789-abcdefghij",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            _overrides[key] = value;
        }
    }

    public TempDirectory Root { get; } = new();

    public int Port { get; }

    public Uri Endpoint => new($"http://127.0.0.1:{Port}/");

    public string DataDirectory => Root.Combine("data");

    public string CatalogsDirectory => Root.Combine("catalogs");

    public string IngestKey { get; private set; } = "";

    public bool Running => _app is not null;

    /// <summary>Starts the server (again) on the same port and data directory; the first start makes the ingest key.</summary>
    public async Task StartAsync()
    {
        var app = CairnServer.Build(new ServeSettings
        {
            DataDirectory = DataDirectory, Host = "127.0.0.1", Port = Port, CatalogsDirectory = CatalogsDirectory, Overrides = _overrides,
        }, TextWriter.Null);
        await app.StartAsync();
        _app = app;
        if (IngestKey.Length == 0)
        {
            using var http = Admin();
            using var response = await http.PostAsync("/v1/admin/keys", new StringContent(JsonSerializer.Serialize(new { org = Org, game = Game }), Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            IngestKey = body.RootElement.GetProperty("key").GetString()!;
        }
    }

    /// <summary>Stops at once: open requests are aborted (a cancelled shutdown), as when the server dies.</summary>
    public async Task KillAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            await app.StopAsync(new CancellationToken(canceled: true));
            await app.DisposeAsync();
        }
    }

    public HttpClient Admin()
    {
        var http = new HttpClient { BaseAddress = Endpoint };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        return http;
    }

    public async Task<string> PlayerKeyAsync(string playerId)
    {
        using var http = Admin();
        using var body = JsonDocument.Parse(await http.GetStringAsync($"/v1/admin/players/lookup?org={Org}&playerId={Uri.EscapeDataString(playerId)}"));
        return body.RootElement.GetProperty("playerKey").GetString()!;
    }

    public long Scalar(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(DataDirectory, "cairn.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>How many events are stored, and how many distinct event ids they have (equal when none is stored twice).</summary>
    public (long Rows, long Distinct) Stored(string? eventType = null)
    {
        var where = eventType is null ? "" : $" WHERE event_type = '{eventType}'";
        return (Scalar("SELECT COUNT(*) FROM events" + where), Scalar("SELECT COUNT(DISTINCT event_id) FROM events" + where));
    }

    public CairnClientOptions ClientOptions(string? queueDirectory = null) => new()
    {
        Endpoint = Endpoint,
        IngestKey = IngestKey,
        Game = Game,
        QueueDirectory = queueDirectory,
        RetryBaseDelay = TimeSpan.FromMilliseconds(20),
        MaxRetryDelay = TimeSpan.FromMilliseconds(500),
        FlushInterval = TimeSpan.FromHours(1),
        RequestTimeout = TimeSpan.FromSeconds(20),
    };

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        SqliteConnection.ClearAllPools();
        Root.Dispose();
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

/// <summary>A fresh directory under the system temp directory, deleted on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "cairn-client-tests", Guid.NewGuid().ToString("N"));

    public TempDirectory() => Directory.CreateDirectory(Path);

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

internal static class OptionsExtensions
{
    /// <summary>Collects the client's diagnostics ("code: message") in the list (thread-safe).</summary>
    public static CairnClientOptions WithDiagnostics(this CairnClientOptions options, List<string> sink)
    {
        options.OnDiagnostic = d =>
        {
            lock (sink)
            {
                sink.Add(d.ToString());
            }
        };
        return options;
    }
}
