using System.Text;
using System.Text.Json.Nodes;
using Cairn.Tests.Support;

namespace Cairn.Tests.Http;

public sealed class PrivacyTests : IAsyncLifetime
{
    private const string RawPlayer = "Raw.Player-7731@school.example";

    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task IngestMixAsync()
    {
        var accepted = Events.Canonical(Events.NewId(), RawPlayer);
        var rejected = Events.Canonical(Events.NewId(), RawPlayer);
        rejected["timestamp"] = "2025-09-29 22:02:51";
        var legacyRejected = new JsonObject { ["_id"] = Events.NewId(), ["player_id"] = "  " + RawPlayer.ToUpperInvariant(), ["event_type"] = "x" };
        var lmsRejected = new JsonObject { ["event_id"] = Events.NewId(), ["user_id"] = RawPlayer, ["event_type"] = "x", ["timestamp"] = "nope" };
        using var body = await _server.IngestAsync(Events.Array(accepted, rejected, legacyRejected, lmsRejected));
        Assert.Equal(1, body.RootElement.GetProperty("accepted").GetInt32());
        Assert.Equal(3, body.RootElement.GetProperty("rejected").GetInt32());
    }

    [Fact]
    public async Task Rejected_events_are_listed_with_reasons_and_a_player_key_instead_of_the_raw_id()
    {
        await IngestMixAsync();
        var playerKey = await _server.PlayerKeyAsync(RawPlayer);

        using var response = await _server.GetAsAdminAsync($"/v1/admin/rejected?org={TestServer.Org}");

        response.EnsureSuccessStatusCode();
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(RawPlayer, text, StringComparison.OrdinalIgnoreCase);
        using var body = System.Text.Json.JsonDocument.Parse(text);
        var items = body.RootElement.GetProperty("rejected").EnumerateArray().ToList();
        Assert.Equal(3, items.Count);
        Assert.All(items, item =>
        {
            Assert.Equal(playerKey, item.GetProperty("playerKey").GetString());
            Assert.Equal(TestServer.Org, item.GetProperty("orgId").GetString());
            Assert.NotEmpty(item.GetProperty("reasons").EnumerateArray());
            var raw = JsonNode.Parse(item.GetProperty("raw").GetString()!)!.AsObject();
            Assert.Equal(playerKey, raw["playerKey"]!.GetValue<string>());
            Assert.DoesNotContain(raw, p => p.Key is "playerId" or "player_id" or "user_id");
        });
        Assert.Contains(items, i => i.GetProperty("reasons").EnumerateArray().Any(r =>
            r.GetProperty("path").GetString() == "timestamp" && r.GetProperty("code").GetString() == "format"));
    }

    [Fact]
    public async Task Rejected_list_pages_with_a_cursor_and_filters_by_org()
    {
        var bad = Enumerable.Range(0, 5).Select(_ => new JsonObject { ["eventId"] = Events.NewId() }).ToArray();
        using (await _server.IngestAsync(Events.Array(bad)))
        {
        }

        var seen = new List<long>();
        string? cursor = null;
        do
        {
            using var page = await _server.GetAsAdminAsync("/v1/admin/rejected?limit=2" + (cursor is null ? "" : "&cursor=" + cursor));
            page.EnsureSuccessStatusCode();
            using var body = await TestServer.ReadJsonAsync(page);
            seen.AddRange(body.RootElement.GetProperty("rejected").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()));
            cursor = body.RootElement.TryGetProperty("nextCursor", out var next) ? next.GetString() : null;
        }
        while (cursor is not null);
        using var otherOrg = await _server.GetAsAdminAsync("/v1/admin/rejected?org=nobody");
        using var otherBody = await TestServer.ReadJsonAsync(otherOrg);

        Assert.Equal(bad.Length, seen.Count);
        Assert.Equal(seen.OrderDescending(), seen);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Empty(otherBody.RootElement.GetProperty("rejected").EnumerateArray());
    }

    [Theory]
    [InlineData("limit=0")]
    [InlineData("limit=1001")]
    [InlineData("limit=ten")]
    [InlineData("cursor=not-a-cursor!")]
    public async Task Rejected_list_answers_400_for_bad_parameters(string query)
    {
        using var response = await _server.GetAsAdminAsync("/v1/admin/rejected?" + query);

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Raw_player_id_is_stored_only_in_the_players_directory()
    {
        await IngestMixAsync();
        await _server.StopAsync();

        var cells = Database.AllCells(_server.DatabasePath)
            .Where(c => c.Text.Contains(RawPlayer, StringComparison.OrdinalIgnoreCase))
            .Select(c => $"{c.Table}.{c.Column}")
            .ToList();

        Assert.Equal(["players.raw_id"], cells);
    }

    [Fact]
    public async Task Database_file_holds_no_raw_player_id_once_the_directory_row_is_gone()
    {
        await IngestMixAsync();
        await _server.StopAsync();

        // Remove the one place the raw id may be, rebuild the file (no free pages keep old bytes), then read every byte.
        Database.Execute(_server.DatabasePath, "PRAGMA secure_delete = ON; DELETE FROM players; VACUUM; PRAGMA wal_checkpoint(TRUNCATE);");
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var files = Directory.GetFiles(_server.DataDirectory, "cairn.db*");

        Assert.Contains(files, f => f.EndsWith("cairn.db", StringComparison.Ordinal));
        Assert.True(Database.Scalar(_server.DatabasePath, "SELECT COUNT(*) FROM events;") > 0);
        foreach (var file in files)
        {
            var bytes = await File.ReadAllBytesAsync(file);
            foreach (var needle in new[] { RawPlayer, RawPlayer.ToLowerInvariant(), RawPlayer.ToUpperInvariant() })
            {
                Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(needle)) < 0, $"{Path.GetFileName(file)} holds '{needle}'");
            }
        }
    }
}
