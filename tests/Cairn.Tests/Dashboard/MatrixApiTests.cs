using System.Net;
using System.Text.Json;
using Cairn.Tests.Support;

namespace Cairn.Tests.Dashboard;

/// <summary>The class progress matrix and cell details over HTTP; a subclass per store says how to start the server.</summary>
public abstract class MatrixApiTests
{
    /// <summary>A new server on an empty store of the subclass's kind.</summary>
    private protected abstract Task<TestServer> StartServerAsync(
        IReadOnlyDictionary<string, string?>? overrides = null, IReadOnlyDictionary<string, string>? catalogs = null);

    [SkippableFact]
    public async Task Matrix_is_dense_players_sorted_by_name_points_in_catalog_order_and_white_without_rows()
    {
        await using var d = await DashboardServer.StartAsync(StartServerAsync);

        using var matrix = await d.MatrixAsync();

        var root = matrix.RootElement;
        Assert.Equal(["Ada Adams", "Ben Bauer", "Cleo Costa"], root.GetProperty("players").EnumerateArray().Select(p => p.GetProperty("displayName").GetString()));
        var points = root.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("id").GetString()).ToList();
        Assert.Equal(["U1.C1", "U1.C2", "U1.C3", "U2.C1"], points.Take(4));
        Assert.Equal(3, root.GetProperty("cells").GetArrayLength());
        Assert.All(root.GetProperty("cells").EnumerateArray(), row =>
        {
            Assert.Equal(points.Count, row.GetArrayLength());
            Assert.All(row.EnumerateArray(), cell => Assert.Equal("white", cell.GetProperty("status").GetString()));
        });
        Assert.Equal(["U1", "U2", "U3"], root.GetProperty("units").EnumerateArray().Select(u => u.GetProperty("id").GetString()));
        Assert.False(string.IsNullOrEmpty(root.GetProperty("cursor").GetString()));
    }

    [SkippableFact]
    public async Task Matrix_shows_green_and_yellow_cells_from_the_materialized_rows()
    {
        await using var d = await DashboardServer.StartAsync(StartServerAsync);
        var ada = await d.Server.PlayerKeyAsync("ada@school.example");
        var ben = await d.Server.PlayerKeyAsync("ben@school.example");

        // U2.C2: start 20/1, complete 20/26, green under 300 s.
        await d.SendAsync("ada@school.example", 20, 1, minutesAgo: 10);
        await d.SendAsync("ada@school.example", 20, 26, minutesAgo: 8);
        await d.SendAsync("ben@school.example", 20, 1, minutesAgo: 30);
        await d.SendAsync("ben@school.example", 20, 26, minutesAgo: 10);

        await d.WaitForCellAsync(ada, "U2.C2", "green");
        await d.WaitForCellAsync(ben, "U2.C2", "yellow");
        using var matrix = await d.MatrixAsync();
        var adaRow = matrix.RootElement.GetProperty("players").EnumerateArray().ToList().FindIndex(p => p.GetProperty("playerKey").GetString() == ada);
        var point = matrix.RootElement.GetProperty("points").EnumerateArray().ToList().FindIndex(p => p.GetProperty("id").GetString() == "U2.C2");
        var cell = matrix.RootElement.GetProperty("cells")[adaRow][point];
        Assert.Equal(120, cell.GetProperty("score").GetDouble(), 3);
        Assert.True(cell.TryGetProperty("completedAt", out _));
        Assert.Equal("white", DashboardServer.CellStatus(matrix, ada, "U1.C1"));
    }

    [SkippableFact]
    public async Task Since_cursor_returns_only_cells_changed_after_it_including_removals()
    {
        await using var d = await DashboardServer.StartAsync(StartServerAsync);
        var ada = await d.Server.PlayerKeyAsync("ada@school.example");
        await d.SendAsync("ada@school.example", 31, 29, minutesAgo: 20); // U1.C1
        await d.WaitForCellAsync(ada, "U1.C1", "green");
        using var before = await d.MatrixAsync();
        var cursor = before.RootElement.GetProperty("cursor").GetString()!;

        await d.SendAsync("ada@school.example", 30, 98, minutesAgo: 15); // U1.C2
        await d.WaitForCellAsync(ada, "U1.C2", "green");
        using var changes = await d.MatrixAsync(cursor);

        var cells = changes.RootElement.GetProperty("cells").EnumerateArray().ToList();
        var changed = Assert.Single(cells);
        Assert.Equal("U1.C2", changed.GetProperty("pointId").GetString());
        Assert.Equal("green", changed.GetProperty("status").GetString());
        var next = changes.RootElement.GetProperty("cursor").GetString()!;

        await d.SendJsonAsync(new
        {
            eventId = "reset-1", eventType = "ProgressReset", timestamp = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("O"),
            playerId = "ada@school.example", data = new { pointIds = new[] { "U1.C1" } },
        });
        await d.WaitForCellAsync(ada, "U1.C1", "white");
        using var afterReset = await d.MatrixAsync(next);

        var removed = Assert.Single(afterReset.RootElement.GetProperty("cells").EnumerateArray());
        Assert.Equal("U1.C1", removed.GetProperty("pointId").GetString());
        Assert.Equal("white", removed.GetProperty("status").GetString());
        using var nothing = await d.MatrixAsync(afterReset.RootElement.GetProperty("cursor").GetString());
        Assert.Empty(nothing.RootElement.GetProperty("cells").EnumerateArray());
    }

    [SkippableFact]
    public async Task Drill_down_lists_the_start_counted_events_and_completion_that_decided_the_cell()
    {
        await using var d = await DashboardServer.StartAsync(StartServerAsync);
        var cleo = await d.Server.PlayerKeyAsync("cleo@school.example");
        // U2.C7: start 20/60, help 20/33 counted, complete 20/74; green with at most one help.
        await d.SendAsync("cleo@school.example", 20, 33, minutesAgo: 40); // before the start: not counted
        await d.SendAsync("cleo@school.example", 20, 60, minutesAgo: 30);
        await d.SendAsync("cleo@school.example", 20, 33, minutesAgo: 25);
        await d.SendAsync("cleo@school.example", 20, 33, minutesAgo: 20);
        await d.SendAsync("cleo@school.example", 20, 74, minutesAgo: 10);
        await d.WaitForCellAsync(cleo, "U2.C7", "yellow");

        using var response = await d.Server.GetAsAdminAsync($"/v1/groups/{DashboardServer.GroupId}/players/{cleo}/points/U2.C7");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = await TestServer.ReadJsonAsync(response);
        var root = body.RootElement;
        Assert.Equal("yellow", root.GetProperty("status").GetString());
        Assert.Equal(2, root.GetProperty("count").GetInt32());
        Assert.Equal(60, root.GetProperty("start").GetProperty("data").GetProperty("nodeId").GetInt32());
        Assert.Equal(74, root.GetProperty("completion").GetProperty("data").GetProperty("nodeId").GetInt32());
        Assert.Equal(2, root.GetProperty("counted").GetArrayLength());
        Assert.Equal("Cleo Costa", root.GetProperty("displayName").GetString());
    }

    [SkippableFact]
    public async Task Unknown_group_member_or_point_is_404_and_a_bad_cursor_is_400()
    {
        await using var d = await DashboardServer.StartAsync(StartServerAsync);
        var ada = await d.Server.PlayerKeyAsync("ada@school.example");
        var stranger = await d.Server.PlayerKeyAsync("stranger@school.example");

        using var noGroup = await d.Server.GetAsAdminAsync("/v1/groups/nope/progress");
        using var notMember = await d.Server.GetAsAdminAsync($"/v1/groups/{DashboardServer.GroupId}/players/{stranger}/points/U1.C1");
        using var noPoint = await d.Server.GetAsAdminAsync($"/v1/groups/{DashboardServer.GroupId}/players/{ada}/points/U9.C9");
        using var badCursor = await d.Server.GetAsAdminAsync($"/v1/groups/{DashboardServer.GroupId}/progress?since=%%%");
        using var noToken = await d.Server.SendAsync(HttpMethod.Get, $"/v1/groups/{DashboardServer.GroupId}/progress", "", null);

        Assert.Equal(HttpStatusCode.NotFound, noGroup.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, notMember.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, noPoint.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badCursor.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, noToken.StatusCode);
    }

    [SkippableFact]
    public async Task Roster_replacement_changes_the_rows_and_keeps_raw_ids_in_the_directory_only()
    {
        await using var d = await DashboardServer.StartAsync(StartServerAsync);
        var roster = JsonSerializer.Serialize(new[] { new { playerId = "  Dana@School.example ", displayName = "Dana Diallo" } });

        using var put = await d.Server.SendAsync(HttpMethod.Put, $"/v1/groups/{DashboardServer.GroupId}/members", TestServer.AdminToken, roster);
        using var matrix = await d.MatrixAsync();

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var player = Assert.Single(matrix.RootElement.GetProperty("players").EnumerateArray());
        Assert.Equal("Dana Diallo", player.GetProperty("displayName").GetString());
        Assert.Equal(await d.Server.PlayerKeyAsync("dana@school.example"), player.GetProperty("playerKey").GetString());
        Assert.Equal(0L, d.Server.Sql.Scalar("SELECT COUNT(*) FROM group_members WHERE player_key LIKE '%@%';"));
        Assert.Equal(["Dana@School.example"], d.Server.Sql.Column("SELECT raw_id FROM players WHERE display_name = 'Dana Diallo';"));
    }

    [SkippableFact]
    public async Task Creating_a_group_validates_and_refuses_another_game_for_an_id_of_the_org()
    {
        await using var d = await DashboardServer.StartAsync(StartServerAsync);

        using var missingGame = await d.Server.SendAsync(HttpMethod.Post, "/v1/groups", TestServer.AdminToken, """{"id":"g2","org":"o"}""");
        using var otherGame = await d.Server.SendAsync(HttpMethod.Post, "/v1/groups", TestServer.AdminToken,
            JsonSerializer.Serialize(new { id = DashboardServer.GroupId, org = TestServer.Org, game = "waves" }));
        using var update = await d.Server.SendAsync(HttpMethod.Post, "/v1/groups", TestServer.AdminToken,
            JsonSerializer.Serialize(new { id = DashboardServer.GroupId, org = TestServer.Org, game = "mhs", name = "Renamed" }));
        using var badRoster = await d.Server.SendAsync(HttpMethod.Put, $"/v1/groups/{DashboardServer.GroupId}/members", TestServer.AdminToken, """[{"displayName":"x"}]""");

        Assert.Equal(HttpStatusCode.BadRequest, missingGame.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, otherGame.StatusCode);
        Assert.Equal(HttpStatusCode.OK, update.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badRoster.StatusCode);
        Assert.Contains("playerId", await badRoster.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
