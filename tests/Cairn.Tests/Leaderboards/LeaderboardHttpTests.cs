using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cairn.Tests.Support;
using static Cairn.Tests.Support.GameEvents;

namespace Cairn.Tests.Leaderboards;

/// <summary>
/// Events in over HTTP, the server's own worker, and the leaderboard reads out with the shipped Wylding Woods catalog
/// (its lower-is-better board), the consent flag that keeps a player off boards, and the 400s of bad input.
/// </summary>
public abstract class LeaderboardHttpTests : IAsyncLifetime
{
    private const string Woods = "wylding-woods";
    private const string Board = $"/v1/leaderboards/{Woods}/quickest_woander";

    private TestServer _server = null!;
    private string _woodsKey = null!;
    private RedisServer? _redis;

    private protected abstract Task<TestServer> StartServerAsync(IReadOnlyDictionary<string, string?> overrides, IReadOnlyDictionary<string, string> catalogs);

    public async Task InitializeAsync()
    {
        var catalogs = new[] { "wylding-woods.yaml" }.ToDictionary(f => f, f => File.ReadAllText(Path.Combine(SharedData.RepositoryRoot(), "catalogs", f)));
        var overrides = new Dictionary<string, string?> { ["Jobs:PollMilliseconds"] = "50" };
        if (WithRedis)
        {
            _redis = await RedisServer.StartAsync();
            (overrides["Cache:Redis"], overrides["Cache:RedisCheckSeconds"]) = (_redis.ConnectionString, "0.2");
        }
        _server = await StartServerAsync(overrides, catalogs);
        _woodsKey = await _server.CreateIngestKeyAsync(TestServer.Org, Woods);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }

    /// <summary>Whether the server mirrors its boards in a real redis-server (<c>Cache:Redis</c>): the same answers either way.</summary>
    private protected virtual bool WithRedis => false;

    private static JsonObject Quest(string player, string id, double seconds, string type) =>
        Event(player + "/" + id, player, seconds, type, new JsonObject { ["contentId"] = "discover_woander" }, Woods);

    private async Task SendAsync(params JsonObject[] events)
    {
        using var response = await _server.PostEventsAsync(Events.Array(events), _woodsKey);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(string path)
    {
        using var response = await _server.GetAsAdminAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>Reads a path until the condition holds (the worker runs in the background), failing after 30 s.</summary>
    private async Task<JsonElement> PollAsync(string path, Func<JsonElement, bool> until)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var (status, body) = await GetAsync(path);
            Assert.True(status == HttpStatusCode.OK, $"{path}: {(int)status} {body}");
            if (until(body))
            {
                return body;
            }
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"{path} never got there: {body}");
            await Task.Delay(50);
        }
    }

    private static (long, string?, double)[] Rows(JsonElement board) =>
        [.. board.GetProperty("entries").EnumerateArray().Select(e => (e.GetProperty("rank").GetInt64(), e.TryGetProperty("playerKey", out var k) ? k.GetString() : null, e.GetProperty("score").GetDouble()))];

    [SkippableFact]
    public async Task Issue_13_the_quickest_woander_board_ranks_players_and_a_leaderboards_consent_of_false_leaves_one_out()
    {
        await SendAsync(
            Quest("iris@school.example", "q1", 0, "quest_started"), Quest("iris@school.example", "q2", 120, "quest_completed"),
            Quest("jon@school.example", "q1", 0, "quest_started"), Quest("jon@school.example", "q2", 60, "quest_completed"),
            Quest("kim@school.example", "q1", 10, "quest_started"), Quest("kim@school.example", "q2", 130, "quest_completed"));
        var (iris, jon, kim) = (await _server.PlayerKeyAsync("iris@school.example"), await _server.PlayerKeyAsync("jon@school.example"),
            await _server.PlayerKeyAsync("kim@school.example"));

        var board = await PollAsync($"{Board}?org={TestServer.Org}", b => b.GetProperty("entries").GetArrayLength() == 3);
        using var consent = await _server.SendAsync(HttpMethod.Put, "/v1/players/consent", TestServer.AdminToken,
            JsonSerializer.Serialize(new { org = TestServer.Org, playerId = "jon@school.example", leaderboards = false }));
        var consentBody = JsonDocument.Parse(await consent.Content.ReadAsStringAsync()).RootElement;
        var (_, without) = await GetAsync($"{Board}?org={TestServer.Org}");
        var (_, jonsRank) = await GetAsync($"{Board}/players/{jon}?around=1");
        var (_, kimsRank) = await GetAsync($"{Board}/players/{kim}?around=1");

        // Iris and Kim both took 120 s; Iris got there first (at 120 s against 130 s), so she ranks above.
        Assert.Equal([(1L, (string?)jon, 60.0), (2, iris, 120), (3, kim, 120)], Rows(board));
        Assert.Equal(("lower", "current"), (board.GetProperty("order").GetString(), board.GetProperty("period").GetProperty("name").GetString()));
        Assert.Equal(HttpStatusCode.OK, consent.StatusCode);
        Assert.False(consentBody.GetProperty("leaderboards").GetBoolean());
        Assert.Equal([(1L, (string?)iris, 120.0), (2, kim, 120)], Rows(without));
        Assert.False(jonsRank.TryGetProperty("player", out _));
        Assert.Empty(jonsRank.GetProperty("above").EnumerateArray());
        Assert.Equal(2, kimsRank.GetProperty("player").GetProperty("rank").GetInt64());
        Assert.Equal([iris], kimsRank.GetProperty("above").EnumerateArray().Select(e => e.GetProperty("playerKey").GetString()));
    }

    [SkippableTheory]
    [InlineData("?org=org-test&limit=abc", 400, "'limit' must be a whole number")]
    [InlineData("?org=org-test&limit=0", 400, "'limit' must be between 1 and 100")]
    [InlineData("?org=org-test&limit=101", 400, "'limit' must be between 1 and 100")]
    [InlineData("?org=org-test&period=yesterday", 400, "'period' must be current or previous")]
    [InlineData("?org=org-test&period=previous", 400, "never resets")]
    [InlineData("?org=org-test&scope=class", 400, "'scope' must be org or group:{groupId}")]
    [InlineData("?org=org-test&scope=group:nope", 404, "No such group")]
    [InlineData("?org=org-test&cursor=not-a-cursor", 400, "'cursor' is not one this server handed out")]
    [InlineData("", 400, "'org' is required with the admin token")]
    public async Task Issue_13_bad_leaderboard_input_is_a_problem_with_a_specific_message(string query, int status, string detail)
    {
        var (code, body) = await GetAsync(Board + query);

        Assert.Equal(status, (int)code);
        Assert.Contains(detail, body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [SkippableTheory]
    [InlineData($"/v1/leaderboards/{Woods}/no_such_board?org=org-test", 404, "No such leaderboard")]
    [InlineData("/v1/leaderboards/no-game/quickest_woander?org=org-test", 404, "No such leaderboard")]
    [InlineData($"/v1/leaderboards/{Woods}/quickest_woander/players/not-a-key", 400, "That is not a playerKey")]
    [InlineData($"/v1/leaderboards/{Woods}/quickest_woander/players/p1_00000000000000000000000000000000", 404, "No such player")]
    [InlineData($"/v1/leaderboards/{Woods}/quickest_woander/players/p1_00000000000000000000000000000000?around=x", 400, "'around' must be a whole number")]
    public async Task Issue_13_unknown_boards_and_players_are_404_and_bad_ones_400(string path, int status, string detail)
    {
        var (code, body) = await GetAsync(path);

        Assert.Equal(status, (int)code);
        Assert.Contains(detail, body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}

public sealed class SqliteLeaderboardHttpTests : LeaderboardHttpTests
{
    private protected override Task<TestServer> StartServerAsync(IReadOnlyDictionary<string, string?> overrides, IReadOnlyDictionary<string, string> catalogs) =>
        TestServer.StartAsync(overrides, catalogs);
}

public sealed class PostgresLeaderboardHttpTests(PostgresServer postgres) : LeaderboardHttpTests, IClassFixture<PostgresServer>
{
    private protected override Task<TestServer> StartServerAsync(IReadOnlyDictionary<string, string?> overrides, IReadOnlyDictionary<string, string> catalogs) =>
        TestServer.StartAsync(postgres, overrides, catalogs);
}

public sealed class SqliteRedisLeaderboardHttpTests : LeaderboardHttpTests
{
    private protected override bool WithRedis => true;

    private protected override Task<TestServer> StartServerAsync(IReadOnlyDictionary<string, string?> overrides, IReadOnlyDictionary<string, string> catalogs) =>
        TestServer.StartAsync(overrides, catalogs);
}

public sealed class PostgresRedisLeaderboardHttpTests(PostgresServer postgres) : LeaderboardHttpTests, IClassFixture<PostgresServer>
{
    private protected override bool WithRedis => true;

    private protected override Task<TestServer> StartServerAsync(IReadOnlyDictionary<string, string?> overrides, IReadOnlyDictionary<string, string> catalogs) =>
        TestServer.StartAsync(postgres, overrides, catalogs);
}
