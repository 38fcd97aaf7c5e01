using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cairn.Tests.Support;
using static Cairn.Tests.Support.GameEvents;

namespace Cairn.Tests.PlayerState;

/// <summary>
/// Events in over HTTP, the server's own worker, and the player-state reads out (state, inventory, visited, profile) with
/// the shipped catalogs (wylding-woods.yaml, mhs.yaml); a subclass per store says how to start the server.
/// </summary>
public abstract class PlayerStateHttpTests : IAsyncLifetime
{
    private const string Woods = "wylding-woods";
    private const string Storefront = "1_inter_woander_storefront";
    private const string GravityCar = "8_inter_gravity_car";
    private const string Library = "13_inter_lending_library_story_anchor";

    private TestServer _server = null!;
    private string _woodsKey = null!;
    private string _mhsKey = null!;

    private protected abstract Task<TestServer> StartServerAsync(IReadOnlyDictionary<string, string?> overrides, IReadOnlyDictionary<string, string> catalogs);

    public async Task InitializeAsync()
    {
        var catalogs = new[] { "wylding-woods.yaml", "mhs.yaml" }
            .ToDictionary(f => f, f => File.ReadAllText(Path.Combine(SharedData.RepositoryRoot(), "catalogs", f)));
        _server = await StartServerAsync(new Dictionary<string, string?> { ["Jobs:PollMilliseconds"] = "50" }, catalogs);
        _woodsKey = await _server.CreateIngestKeyAsync(TestServer.Org, Woods);
        _mhsKey = await _server.CreateIngestKeyAsync(TestServer.Org, "mhs");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    /// <summary>A walk through the woods (seed 002): three waypoints, two quests, items in and out, collectibles.</summary>
    private static JsonObject[] Walk(string player) =>
    [
        Woods_(player, "w-01", 0, "waypoint_visited", Storefront),
        Woods_(player, "w-02", 10, "quest_started", "discover_woander"),
        Woods_(player, "w-03", 20, "item_collected", "compass"),
        Woods_(player, "w-04", 30, "item_collected", "map"),
        Event(player + "/w-05", player, 40, "collectible_found", new JsonObject { ["kind"] = "artist_tools", ["count"] = 2 }, Woods),
        Woods_(player, "w-06", 50, "quest_completed", "discover_woander"),
        Woods_(player, "w-07", 60, "waypoint_visited", GravityCar),
        Woods_(player, "w-08", 70, "quest_started", "explore_el_paseo"),
        Event(player + "/w-09", player, 80, "collectible_found", new JsonObject { ["kind"] = "artist_tools", ["count"] = "1" }, Woods),
        Woods_(player, "w-10", 90, "item_used", "map"),
        Woods_(player, "w-11", 100, "waypoint_visited", Library),
        Woods_(player, "w-12", 110, "location_reached", "el_paseo"),
        Woods_(player, "w-13", 120, "waypoint_visited", Storefront),
    ];

    private static JsonObject Woods_(string player, string id, double seconds, string type, string contentId) =>
        Event(player + "/" + id, player, seconds, type, new JsonObject { ["contentId"] = contentId }, Woods);

    private async Task SendAsync(string key, params JsonObject[] events)
    {
        using var response = await _server.PostEventsAsync(Events.Array(events), key);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(string path)
    {
        using var response = await _server.GetAsAdminAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>Reads a path until the condition holds (the worker runs in the background), failing after a few seconds.</summary>
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
            await Task.Delay(25);
        }
    }

    private static string Time(double seconds) => At(seconds).ToString("O", System.Globalization.CultureInfo.InvariantCulture);

    private static DateTimeOffset? TimeOf(JsonElement e) => e.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined ? null : e.GetDateTimeOffset();

    /// <summary>A property, or an undefined element when the answer leaves it out (answers leave nulls out).</summary>
    private static JsonElement Opt(JsonElement e, string name) => e.TryGetProperty(name, out var value) ? value : default;

    private static string[] Ids(JsonElement array, string property) => [.. array.EnumerateArray().Select(e => e.GetProperty(property).GetString()!)];

    private Task<JsonElement> StateWhenAsync(string playerKey, int achievements) =>
        PollAsync($"/v1/players/{playerKey}/state?game={Woods}", b =>
            b.GetProperty("achievements").GetArrayLength() == achievements && TimeOf(Opt(b, "lastPlayedAt")) == At(120));

    [SkippableFact]
    public async Task Issue_13_events_in_give_the_players_state_inventory_waypoints_and_achievements_out()
    {
        await SendAsync(_woodsKey, Walk("iris@school.example"));
        var key = await _server.PlayerKeyAsync("iris@school.example");

        var state = await StateWhenAsync(key, 4);
        var inventory = await GetAsync($"/v1/players/{key}/state/inventory?game={Woods}");
        var visited = await GetAsync($"/v1/players/{key}/state/visited/{GravityCar}?game={Woods}");
        var unvisited = await GetAsync($"/v1/players/{key}/state/visited/9_nowhere?game={Woods}");

        Assert.Equal(Storefront, state.GetProperty("location").GetString());  // the walk ends back at the storefront
        Assert.Equal(["compass"], state.GetProperty("inventory").EnumerateArray().Select(i => i.GetString()));
        Assert.Equal([Storefront, GravityCar, Library], Ids(state.GetProperty("visited"), "waypointId"));
        Assert.Equal([At(0), At(60), At(100)], state.GetProperty("visited").EnumerateArray().Select(v => v.GetProperty("at").GetDateTimeOffset()));
        Assert.Equal(["explore_el_paseo"], Ids(state.GetProperty("activeQuests"), "questId"));
        Assert.Equal(["discover_woander"], Ids(state.GetProperty("completedQuests"), "questId"));
        Assert.Equal(At(50), state.GetProperty("completedQuests")[0].GetProperty("at").GetDateTimeOffset());
        Assert.True(state.GetProperty("flags").GetProperty("gravity_car_activated").GetBoolean());
        Assert.True(state.GetProperty("flags").GetProperty("library_story_unlocked").GetBoolean());
        Assert.Equal(3, state.GetProperty("counters").GetProperty("artist_tools").GetDouble());
        Assert.Equal((At(0), At(120), At(100)), (TimeOf(state.GetProperty("startedAt")), TimeOf(state.GetProperty("lastPlayedAt")), TimeOf(state.GetProperty("completedAt"))));
        var completion = state.GetProperty("completion");
        Assert.Equal((100.0, "waypoints", 3, 3), (completion.GetProperty("percent").GetDouble(), completion.GetProperty("of").GetString(), completion.GetProperty("done").GetInt32(), completion.GetProperty("total").GetInt32()));
        Assert.Equal(["first_waypoint", "discover_woander", "artist_apprentice", "woods_explorer"], Ids(state.GetProperty("achievements"), "id"));
        Assert.Equal([At(0), At(50), At(80), At(100)], state.GetProperty("achievements").EnumerateArray().Select(a => a.GetProperty("at").GetDateTimeOffset()));
        Assert.Equal("Artist's Apprentice", state.GetProperty("achievements")[2].GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.OK, inventory.Status);
        Assert.Equal(["compass"], inventory.Body.GetProperty("inventory").EnumerateArray().Select(i => i.GetString()));
        Assert.Equal((true, At(60)), (visited.Body.GetProperty("visited").GetBoolean(), TimeOf(Opt(visited.Body, "at"))));
        Assert.Equal((false, (DateTimeOffset?)null), (unvisited.Body.GetProperty("visited").GetBoolean(), TimeOf(Opt(unvisited.Body, "at"))));
    }

    [SkippableFact]
    public async Task Issue_13_out_of_order_arrival_and_replayed_batches_give_the_same_state()
    {
        var walk = Walk("jon@school.example");
        await SendAsync(_woodsKey, walk);
        var inOrder = await StateWhenAsync(await _server.PlayerKeyAsync("jon@school.example"), 4);

        // Kim's walk arrives backwards, one event per request, then the whole walk again (every event a duplicate).
        var kim = Walk("kim@school.example");
        foreach (var e in kim.Reverse())
        {
            await SendAsync(_woodsKey, e);
        }
        await SendAsync(_woodsKey, kim);
        var kimKey = await _server.PlayerKeyAsync("kim@school.example");
        var expected = Without(inOrder, "playerKey");

        var shuffled = await PollAsync($"/v1/players/{kimKey}/state?game={Woods}", b => Without(b, "playerKey") == expected);

        Assert.Equal(expected, Without(shuffled, "playerKey"));
        Assert.Equal(4, shuffled.GetProperty("achievements").GetArrayLength());
    }

    private static string Without(JsonElement body, string property)
    {
        var node = JsonNode.Parse(body.GetRawText())!.AsObject();
        node.Remove(property);
        return node.ToJsonString();
    }

    [SkippableFact]
    public async Task Issue_13_finishing_quest_34_awards_crash_survivor_and_the_profile_counts_completion_from_the_points()
    {
        var quest = (int id) => new JsonObject { ["questEventType"] = "questFinishEvent", ["questId"] = id };
        await SendAsync(_mhsKey, Event("m-1", "max@school.example", 0, "questEvent", quest(21)), Event("m-2", "max@school.example", 30, "questEvent", quest(34)));
        await SendAsync(_woodsKey, Woods_("max@school.example", "m-3", 60, "waypoint_visited", Storefront));
        var key = await _server.PlayerKeyAsync("max@school.example");

        var profile = await PollAsync($"/v1/players/{key}/profile", b =>
            b.GetProperty("achievements").GetArrayLength() == 2 && b.GetProperty("games").GetArrayLength() == 2
            && b.GetProperty("games").EnumerateArray().Any(g => g.GetProperty("game").GetString() == "mhs" && g.TryGetProperty("completion", out var c) && c.GetProperty("done").GetInt32() == 1));

        Assert.Equal(["crash_survivor", "first_waypoint"], Ids(profile.GetProperty("achievements"), "id"));
        var survivor = profile.GetProperty("achievements")[0];
        Assert.Equal(("Crash Survivor", "mhs", At(30)), (survivor.GetProperty("title").GetString(), survivor.GetProperty("game").GetString(), survivor.GetProperty("at").GetDateTimeOffset()));
        Assert.Equal(["mhs", Woods], Ids(profile.GetProperty("games"), "game"));
        var mhs = profile.GetProperty("games")[0];
        Assert.Equal("Mission HydroSci", mhs.GetProperty("title").GetString());
        Assert.Equal(("points", 1, 12), (mhs.GetProperty("completion").GetProperty("of").GetString(), mhs.GetProperty("completion").GetProperty("done").GetInt32(), mhs.GetProperty("completion").GetProperty("total").GetInt32()));
        Assert.Equal(At(30), TimeOf(mhs.GetProperty("lastPlayedAt")));
        var woods = profile.GetProperty("games")[1];
        Assert.Equal((33.3, At(60)), (woods.GetProperty("completion").GetProperty("percent").GetDouble(), TimeOf(woods.GetProperty("lastPlayedAt"))));
        Assert.False(woods.TryGetProperty("completedAt", out _));
    }

    [SkippableFact]
    public async Task Issue_13_playtime_is_the_sum_of_gaps_under_the_inactivity_threshold_per_game_and_in_total_on_the_profile()
    {
        // Woods: a sitting of 25 minutes in three steps, an hour's break, then 2 more minutes; MHS: two quest-34 finishes 90 s apart.
        double[] woods = [0, 600, 1_500, 5_100, 5_220];
        double[] mhs = [10, 100];
        await SendAsync(_woodsKey, [.. woods.Select((t, i) => Woods_("pia@school.example", "t-" + i, t, "waypoint_visited", Storefront))]);
        var finish = new JsonObject { ["questEventType"] = "questFinishEvent", ["questId"] = 34 };
        await SendAsync(_mhsKey, [.. mhs.Select((t, i) => Event("pm-" + i, "pia@school.example", t, "questEvent", finish.DeepClone().AsObject()))]);
        var key = await _server.PlayerKeyAsync("pia@school.example");
        var expectedWoods = PlaytimeTests.Expected(woods, 30 * 60);
        var expectedMhs = PlaytimeTests.Expected(mhs, 30 * 60);

        var state = await PollAsync($"/v1/players/{key}/state?game={Woods}", b => TimeOf(Opt(b, "lastPlayedAt")) == At(5_220));
        var profile = await PollAsync($"/v1/players/{key}/profile", b =>
            b.GetProperty("games").GetArrayLength() == 2 && b.GetProperty("games")[0].TryGetProperty("lastPlayedAt", out var last) && last.GetDateTimeOffset() == At(100));

        Assert.Equal(expectedWoods, state.GetProperty("playtimeSeconds").GetDouble(), 6);
        Assert.Equal(1_620, expectedWoods, 6);
        Assert.Equal(["mhs", Woods], Ids(profile.GetProperty("games"), "game"));
        Assert.Equal(expectedMhs, profile.GetProperty("games")[0].GetProperty("playtimeSeconds").GetDouble(), 6);
        Assert.Equal(expectedWoods, profile.GetProperty("games")[1].GetProperty("playtimeSeconds").GetDouble(), 6);
        Assert.Equal(expectedWoods + expectedMhs, profile.GetProperty("playtimeSeconds").GetDouble(), 6);
    }

    [SkippableFact]
    public async Task Issue_13_erasing_a_player_removes_their_state_and_achievements()
    {
        await SendAsync(_woodsKey, Walk("liv@school.example"));
        var key = await _server.PlayerKeyAsync("liv@school.example");
        await StateWhenAsync(key, 4);

        using var erase = await _server.SendAsync(HttpMethod.Delete, $"/v1/players/liv@school.example?org={TestServer.Org}", TestServer.AdminToken, null);
        using var erased = await TestServer.ReadJsonAsync(erase);
        var after = await GetAsync($"/v1/players/{key}/state?game={Woods}");
        var profile = await GetAsync($"/v1/players/{key}/profile");

        Assert.Equal(HttpStatusCode.OK, erase.StatusCode);
        var removed = erased.RootElement.GetProperty("removed");
        Assert.Equal((1, 4), (removed.GetProperty("player_state").GetInt64(), removed.GetProperty("player_achievements").GetInt64()));
        // The admin reaches every playerKey (as for progress): an erased player reads as one with no state.
        Assert.Equal(HttpStatusCode.OK, after.Status);
        Assert.False(after.Body.TryGetProperty("startedAt", out _));
        Assert.Empty(after.Body.GetProperty("visited").EnumerateArray());
        Assert.Empty(after.Body.GetProperty("achievements").EnumerateArray());
        Assert.Empty(profile.Body.GetProperty("games").EnumerateArray());
        Assert.Empty(profile.Body.GetProperty("achievements").EnumerateArray());
    }

    [SkippableFact]
    public async Task Issue_13_state_reads_need_a_game_id_and_a_playerKey()
    {
        var unknown = "p1_" + new string('0', 43);

        var noGame = await GetAsync($"/v1/players/{unknown}/state");
        var badGame = await GetAsync($"/v1/players/{unknown}/state/inventory?game=no%20such");
        var noState = await GetAsync($"/v1/players/{unknown}/state?game={Woods}");
        var notAKey = await GetAsync($"/v1/players/alice/profile");

        Assert.Equal(HttpStatusCode.BadRequest, noGame.Status);
        Assert.Equal(HttpStatusCode.BadRequest, badGame.Status);
        Assert.Equal(HttpStatusCode.OK, noState.Status);
        Assert.Empty(noState.Body.GetProperty("inventory").EnumerateArray());
        Assert.Equal(HttpStatusCode.BadRequest, notAKey.Status);
    }
}

public sealed class SqlitePlayerStateHttpTests : PlayerStateHttpTests
{
    private protected override Task<TestServer> StartServerAsync(IReadOnlyDictionary<string, string?> overrides, IReadOnlyDictionary<string, string> catalogs) =>
        TestServer.StartAsync(overrides, catalogs);
}

public sealed class PostgresPlayerStateHttpTests(PostgresServer postgres) : PlayerStateHttpTests, IClassFixture<PostgresServer>
{
    private protected override Task<TestServer> StartServerAsync(IReadOnlyDictionary<string, string?> overrides, IReadOnlyDictionary<string, string> catalogs) =>
        TestServer.StartAsync(postgres, overrides, catalogs);
}
