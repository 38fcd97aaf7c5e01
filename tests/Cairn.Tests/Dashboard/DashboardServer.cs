using System.Net;
using System.Text.Json;
using Cairn.Tests.Support;

namespace Cairn.Tests.Dashboard;

/// <summary>A test server with the repository's MHS catalog, a class and its roster.</summary>
internal sealed class DashboardServer : IAsyncDisposable
{
    public const string GroupId = "class-7b";
    public const string Game = "mhs";

    private DashboardServer(TestServer server, string ingestKey)
    {
        Server = server;
        IngestKey = ingestKey;
    }

    public TestServer Server { get; }

    /// <summary>An ingest key for the test org and the MHS game.</summary>
    public string IngestKey { get; }

    public static readonly (string PlayerId, string Name)[] Students =
    [
        ("ada@school.example", "Ada Adams"),
        ("ben@school.example", "Ben Bauer"),
        ("cleo@school.example", "Cleo Costa"),
    ];

    /// <param name="start">How to start the server (on which store); a server on a SQLite file when null.</param>
    /// <param name="overrides">Extra configuration.</param>
    /// <param name="students">The roster (<see cref="Students"/> when null).</param>
    /// <param name="groupName">The class's name.</param>
    public static async Task<DashboardServer> StartAsync(
        StartServer? start = null, IReadOnlyDictionary<string, string?>? overrides = null,
        IReadOnlyList<(string PlayerId, string Name)>? students = null, string groupName = "Class 7B")
    {
        var mhs = await File.ReadAllTextAsync(Path.Combine(SharedData.RepositoryRoot(), "catalogs", "mhs.yaml"));
        var catalogs = new Dictionary<string, string> { ["mhs.yaml"] = mhs };
        var server = await (start is null ? TestServer.StartAsync(overrides, catalogs) : start(overrides, catalogs));
        try
        {
            var key = await server.CreateIngestKeyAsync(TestServer.Org, Game);
            var group = JsonSerializer.Serialize(new { id = GroupId, org = TestServer.Org, name = groupName, game = Game, teachers = new[] { "t-1" } });
            using (var created = await server.SendAsync(HttpMethod.Post, "/v1/groups", TestServer.AdminToken, group))
            {
                Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            }
            var roster = JsonSerializer.Serialize((students ?? Students).Select(s => new { playerId = s.PlayerId, displayName = s.Name }));
            using (var members = await server.SendAsync(HttpMethod.Put, $"/v1/groups/{GroupId}/members", TestServer.AdminToken, roster))
            {
                Assert.Equal(HttpStatusCode.OK, members.StatusCode);
            }
            return new DashboardServer(server, key);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private int _eventSeq;

    /// <summary>"Now" for the events of a test, fixed so that durations between them are exact.</summary>
    private readonly DateTimeOffset _now = DateTimeOffset.UtcNow;

    /// <summary>Sends one MHS event for a student, <paramref name="minutesAgo"/> minutes in the past.</summary>
    public async Task SendAsync(string playerId, int conversationId, int nodeId, double minutesAgo, string eventType = "DialogueEvent")
    {
        var e = new
        {
            eventId = $"t-{Interlocked.Increment(ref _eventSeq)}-{Guid.NewGuid():N}",
            eventType,
            timestamp = _now.AddMinutes(-minutesAgo).ToString("O"),
            playerId,
            data = new { conversationId, nodeId },
        };
        using var response = await Server.PostEventsAsync(JsonSerializer.Serialize(e), IngestKey);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK && body.Contains("\"accepted\":1", StringComparison.Ordinal), body);
    }

    public async Task SendJsonAsync(object e)
    {
        using var response = await Server.PostEventsAsync(JsonSerializer.Serialize(e), IngestKey);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK && body.Contains("\"accepted\":1", StringComparison.Ordinal), body);
    }

    public async Task<JsonDocument> MatrixAsync(string? since = null)
    {
        using var response = await Server.GetAsAdminAsync($"/v1/groups/{GroupId}/progress" + (since is null ? "" : "?since=" + Uri.EscapeDataString(since)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await TestServer.ReadJsonAsync(response);
    }

    /// <summary>The status of one cell in a full matrix answer.</summary>
    public static string CellStatus(JsonDocument matrix, string playerKey, string pointId)
    {
        var root = matrix.RootElement;
        var player = root.GetProperty("players").EnumerateArray().Select((p, i) => (p, i)).Single(x => x.p.GetProperty("playerKey").GetString() == playerKey).i;
        var point = root.GetProperty("points").EnumerateArray().Select((p, i) => (p, i)).Single(x => x.p.GetProperty("id").GetString() == pointId).i;
        return root.GetProperty("cells")[player][point].GetProperty("status").GetString()!;
    }

    /// <summary>Polls the matrix until a cell has the status (the worker runs asynchronously), failing after the timeout.</summary>
    public async Task WaitForCellAsync(string playerKey, string pointId, string status, double seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        string last;
        do
        {
            using var matrix = await MatrixAsync();
            last = CellStatus(matrix, playerKey, pointId);
            if (last == status)
            {
                return;
            }
            await Task.Delay(50);
        }
        while (DateTime.UtcNow < deadline);
        // What the job queue holds says whether the job stalled (leased, retrying, dead) or never was.
        using var jobs = await Server.GetAsAdminAsync("/v1/admin/jobs");
        Assert.Fail($"cell {pointId} of {playerKey} stayed {last}, expected {status}; jobs: {await jobs.Content.ReadAsStringAsync()}");
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
