using System.Net;
using System.Text.Json;
using Cairn.Catalogs;
using Cairn.Tests.Support;

namespace Cairn.Tests.Funnels;

/// <summary>Saved funnels: the catalog's <c>funnels:</c> section, checked with file:line errors, listed and run by id.</summary>
public sealed class SavedFunnelTests
{
    private const string Catalog = """
        game: game-test
        points: []
        funnels:
          - id: levels
            title: Levels 0 to 2
            windowSeconds: 3600
            steps:
              - { eventType: LevelDone, data: { level: 0 }, name: First level }
              - { eventType: LevelDone, data: { level: 1 } }
              - { eventType: LevelDone, data: { level: { in: [2, 3] } } }
        """;

    [Theory]
    [InlineData("funnels:\n  - id: f\n", 2, "funnel 'f' is missing 'steps'")]
    [InlineData("funnels:\n  - id: f\n    steps: []\n", 3, "must list 1 to 20 event patterns")]
    [InlineData("funnels:\n  - id: f\n    steps: [{ eventType: A }]\n    order: loose\n", 4, "'order' of funnel 'f' must be one of ordered, strict, any")]
    [InlineData("funnels:\n  - id: f\n    steps: [{ eventType: A }]\n    windowSeconds: -5\n", 4, "'windowSeconds' of funnel 'f' must be a whole number")]
    [InlineData("funnels:\n  - id: f\n    steps: [{ eventType: A }]\n    breakdown: colour\n", 4, "'breakdown' of funnel 'f' must name a field")]
    [InlineData("funnels:\n  - id: f\n    steps: [{ eventType: A }, { eventType: B }]\n    exclusions:\n      - { pattern: { eventType: Q }, between: [0, 2] }\n", 5, "'between' must be two step indexes")]
    [InlineData("funnels:\n  - id: f\n    steps: [{ eventType: A }]\n  - id: f\n    steps: [{ eventType: A }]\n", 4, "duplicate funnel id 'f'")]
    [InlineData("funnels:\n  - id: f\n    steps: [{ eventType: A }]\n    colour: red\n", 4, "unknown key 'colour' in a funnel")]
    public void Issue_15_a_saved_funnel_error_names_the_file_and_line(string funnels, int line, string problem)
    {
        var ex = Assert.Throws<CatalogException>(() => CatalogLoader.Load("games/t.yaml", "game: t\npoints: []\n" + funnels));

        Assert.Equal(line + 2, ex.Line);
        Assert.Contains(problem, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Issue_15_saved_funnels_are_listed_and_run_by_id()
    {
        await using var server = await TestServer.StartAsync(catalogs: new Dictionary<string, string> { ["game-test.yaml"] = Catalog });
        var now = DateTimeOffset.UtcNow;
        var events = new List<object>();
        foreach (var (player, levels) in new[] { ("p1", new[] { 0, 1, 3 }), ("p2", new[] { 0, 1 }), ("p3", new[] { 0 }), ("p4", new[] { 1, 2 }) })
        {
            events.AddRange(levels.Select((level, i) => new
            {
                eventId = $"{player}-{level}", eventType = "LevelDone", timestamp = now.AddMinutes(-30 + i).ToString("O"), playerId = player, data = new { level },
            }));
        }
        using (await server.IngestAsync(JsonSerializer.Serialize(events)))
        {
        }

        using var list = await server.GetAsAdminAsync($"/v1/games/{TestServer.Game}/funnels?org={TestServer.Org}");
        using var listed = await TestServer.ReadJsonAsync(list);
        using var run = await server.GetAsAdminAsync($"/v1/games/{TestServer.Game}/funnels/levels/run?org={TestServer.Org}");
        using var ran = await TestServer.ReadJsonAsync(run);

        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        var saved = Assert.Single(listed.RootElement.GetProperty("funnels").EnumerateArray());
        Assert.Equal("levels", saved.GetProperty("id").GetString());
        Assert.Equal(["First level", "LevelDone level=1", "LevelDone level=2|3"], saved.GetProperty("steps").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(HttpStatusCode.OK, run.StatusCode);
        Assert.Equal([3L, 2, 1], ran.RootElement.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("players").GetInt64()));
        Assert.Equal(3600, ran.RootElement.GetProperty("windowSeconds").GetInt64());
    }
}
