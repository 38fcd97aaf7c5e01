using Cairn.Catalogs;
using Cairn.PlayerState;
using Cairn.Tests.Support;

namespace Cairn.Tests.PlayerState;

/// <summary>The <c>state:</c> and <c>achievements:</c> sections of a catalog: read into rules, checked with file:line errors.</summary>
public sealed class PlayerStateCatalogTests
{
    private const string Head = "game: t\n";

    private static string Shipped(string file) => File.ReadAllText(Path.Combine(SharedData.RepositoryRoot(), "catalogs", file));

    [Theory]
    [InlineData(Head + "state:\n  rules:\n    - visit: w1\n", 4, "a state rule is missing 'on'")]
    [InlineData(Head + "state:\n  rules:\n    - on: { eventType: E }\n", 4, "a state rule does nothing")]
    [InlineData(Head + "state:\n  rules:\n    - on: { eventType: E }\n      teleport: w1\n", 5, "unknown key 'teleport' in a state rule")]
    [InlineData(Head + "state:\n  rules:\n    - on: { data: { n: 1 } }\n      visit: w1\n", 4, "missing 'eventType'")]
    [InlineData(Head + "state:\n  rules:\n    - on: { eventType: E }\n      addItem: { column: itemId }\n", 5, "unknown key 'column'")]
    [InlineData(Head + "state:\n  rules:\n    - on: { eventType: E }\n      addCounter: { amount: 2 }\n", 5, "'addCounter' is missing 'counter'")]
    [InlineData(Head + "state:\n  rules:\n    - on: { eventType: E }\n      addCounter: { counter: flowers, amount: lots }\n", 5, "'addCounter.amount' must be a number")]
    [InlineData(Head + "state:\n  waypoints: [a, b]\n  rules:\n    - on: { eventType: E }\n      visit: c\n", 6, "names waypoint 'c', which 'state.waypoints' does not list")]
    [InlineData(Head + "state:\n  waypoints: [a, a]\n", 3, "duplicate waypoint 'a'")]
    [InlineData(Head + "state:\n  colour: red\n", 3, "unknown key 'colour' in 'state'")]
    [InlineData(Head + "state:\n  inactivityMinutes: 0\n", 3, "'state.inactivityMinutes' must be more than 0 and at most 1440")]
    [InlineData(Head + "state:\n  inactivityMinutes: 1441\n", 3, "'state.inactivityMinutes' must be more than 0 and at most 1440")]
    [InlineData(Head + "state:\n  inactivityMinutes: soon\n", 3, "'state.inactivityMinutes' must be a number")]
    [InlineData(Head + "achievements:\n  - id: x\n    title: X\n", 3, "achievement 'x' has no rule")]
    [InlineData(Head + "achievements:\n  - title: X\n    on: { eventType: E }\n", 3, "an achievement is missing 'id'")]
    [InlineData(Head + "achievements:\n  - id: x\n    on: { eventType: E }\n    when: { questCompleted: q }\n", 5, "has both 'on' and 'when'")]
    [InlineData(Head + "achievements:\n  - id: x\n    on: { eventType: E }\n  - id: x\n    on: { eventType: F }\n", 5, "duplicate achievement id 'x'")]
    [InlineData(Head + "achievements:\n  - id: x\n    when: { counter: flowers }\n", 4, "needs 'atLeast'")]
    [InlineData(Head + "achievements:\n  - id: x\n    when: { counter: flowers, atLeast: -1 }\n", 4, "must be a number ≥ 0")]
    [InlineData(Head + "achievements:\n  - id: x\n    when: { questCompleted: q, visitedAll: [a] }\n", 4, "needs exactly one of")]
    [InlineData(Head + "achievements:\n  - id: x\n    when: { visitedAll: [] }\n", 4, "'when.visitedAll' of achievement 'x' is empty")]
    [InlineData(Head + "state:\n  waypoints: [a]\nachievements:\n  - id: x\n    when: { visitedAll: [a, z] }\n", 6, "names waypoint 'z'")]
    public void Issue_13_state_rule_error_names_the_file_and_line(string yaml, int line, string problem)
    {
        var ex = Assert.Throws<CatalogException>(() => CatalogLoader.Load("games/t.yaml", yaml));

        Assert.Equal(line, ex.Line);
        Assert.Contains(problem, ex.Problem, StringComparison.Ordinal);
        Assert.StartsWith($"games/t.yaml:{line}: ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Issue_13_every_state_and_achievement_mistake_of_a_file_is_reported_in_one_round()
    {
        const string yaml = "game: t\nstate:\n  rules:\n    - on: { eventType: E }\n      teleport: w1\n    - visit: w2\nachievements:\n  - id: x\n";

        var ex = Assert.Throws<CatalogException>(() => CatalogLoader.Load("t.yaml", yaml));

        Assert.Equal([5, 6, 8], ex.Errors.Select(e => e.Line));
    }

    [Fact]
    public void Issue_13_state_rules_and_achievements_are_read_from_a_catalog()
    {
        var catalog = CatalogLoader.Load("wylding-woods.yaml", Shipped("wylding-woods.yaml"));

        var rules = catalog.PlayerState;
        Assert.Equal(["1_inter_woander_storefront", "8_inter_gravity_car", "13_inter_lending_library_story_anchor"], rules.Waypoints);
        Assert.Equal([StateOperationKind.Visit, StateOperationKind.SetLocation], rules.Rules[0].Operations.Select(o => o.Kind));
        Assert.Equal("contentId", rules.Rules[0].Operations[0].Target.Field);
        Assert.Contains(rules.Rules, r => r.Operations.Any(o => o is { Kind: StateOperationKind.AddCounter, Amount.Field: "count", Target.Field: "kind" }));
        Assert.Equal(["first_waypoint", "discover_woander", "artist_apprentice", "woods_explorer"], rules.Achievements.Select(a => a.Id));
        Assert.Equal(3, rules.Achievements.Single(a => a.Id == "artist_apprentice").When!.AtLeast);
        Assert.Empty(catalog.Points);
    }

    [Fact]
    public void Issue_13_the_mhs_catalog_awards_crash_survivor_for_finishing_quest_34_and_keeps_its_points()
    {
        var catalog = CatalogLoader.Load("mhs.yaml", Shipped("mhs.yaml"));

        var survivor = Assert.Single(catalog.PlayerState.Achievements);
        Assert.Equal(("crash_survivor", "Crash Survivor"), (survivor.Id, survivor.Title));
        Assert.True(catalog.PlayerState.Matches("questEvent", new() { ["questEventType"] = "questFinishEvent", ["questId"] = 34 }));
        Assert.False(catalog.PlayerState.Matches("questEvent", new() { ["questEventType"] = "questFinishEvent", ["questId"] = 21 }));
        Assert.False(catalog.PlayerState.Matches("DialogueEvent", new() { ["conversationId"] = 20, ["nodeId"] = 1 }));
        Assert.Equal(12, catalog.Points.Count);
    }

    [Fact]
    public void Issue_13_a_catalog_without_state_sections_has_no_rules()
    {
        var catalog = CatalogLoader.Load("waves.yaml", Shipped("waves.yaml"));

        Assert.True(catalog.PlayerState.IsEmpty);
        Assert.Same(PlayerStateRules.None, catalog.PlayerState);
    }
}
