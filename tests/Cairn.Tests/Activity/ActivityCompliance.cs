using Cairn.Activity;
using Cairn.Storage;
using Cairn.Storage.Postgres;
using Cairn.Storage.Sqlite;
using Cairn.Tests.Storage;

namespace Cairn.Tests.Activity;

/// <summary>The activity figures read from the event log, fact by fact, on every store (a Sqlite* and a Postgres* subclass).</summary>
public abstract class ActivityCompliance : StoreFacts
{
    private protected ActivityCompliance(StoreMaker maker)
        : base(maker)
    {
    }

    private IActivityStore Activity => Store.Database switch
    {
        SqliteDatabase sqlite => new SqliteActivityStore(sqlite),
        PostgresDatabase postgres => new PostgresActivityStore(postgres),
        _ => throw new InvalidOperationException(),
    };

    private static EventRecord Visit(string id, string player, double minutes, string waypoint, string spent, string type = "waypoint_visited", string org = Org) =>
        Event(id, player, T0.AddMinutes(minutes), type, org, data: $$"""{"contentId":"{{waypoint}}","time_spent":{{spent}}}""");

    private async Task SeedAsync() => await WriteEventsAsync(
        Visit("e1", Ada, 10, "gravity_car", "100"), Visit("e2", Ben, 20, "gravity_car", "50"), Visit("e3", Ada, 30, "gravity_car", "\"long\""),
        Visit("e4", Cy, 40, "library", "10"), Visit("e5", Cy, -90, "gravity_car", "1000"), Visit("e6", Ben, 50, "gravity_car", "7", org: OtherOrg),
        Visit("e7", Ada, 55, "gravity_car", "9", type: "item_collected"), Visit("e8", Ben, 25, "21", "1"));

    [SkippableFact]
    public async Task Issue_13_engagement_counts_events_players_and_the_average_of_a_numeric_field_in_the_window()
    {
        await SeedAsync();
        var window = new ActivityFilter(Org, Game, T0, null);

        var car = await Activity.GetEngagementAsync(window, "waypoint_visited", ("contentId", "gravity_car"), "time_spent", None);
        var all = await Activity.GetEngagementAsync(window, "waypoint_visited", null, null, None);
        var numeric = await Activity.GetEngagementAsync(window, "waypoint_visited", ("contentId", "21"), "time_spent", None);
        var ben = await Activity.GetEngagementAsync(window with { Players = [Ben] }, "waypoint_visited", ("contentId", "gravity_car"), "time_spent", None);
        var none = await Activity.GetEngagementAsync(window, "quest_done", null, "time_spent", None);

        Assert.Equal(new EngagementFigures(3, 2, 75), car);  // "long" is not a number; the visit before the window and org B's are not counted
        Assert.Equal(new EngagementFigures(5, 3, null), all);
        Assert.Equal(new EngagementFigures(1, 1, 1), numeric);
        Assert.Equal(new EngagementFigures(1, 1, 50), ben);
        Assert.Equal(new EngagementFigures(0, 0, null), none);
    }

    [SkippableFact]
    public async Task Issue_13_content_visits_are_counted_per_value_most_visited_first()
    {
        await SeedAsync();

        var visits = await Activity.GetContentVisitsAsync(new ActivityFilter(Org, Game, T0, null), "waypoint_visited", "contentId", None);

        Assert.Equal([new ContentVisits("gravity_car", 3, 2), new ContentVisits("21", 1, 1), new ContentVisits("library", 1, 1)], visits);
    }

    [SkippableFact]
    public async Task Issue_13_active_players_are_those_with_an_event_since_the_cutoff_latest_first()
    {
        await SeedAsync();

        var since25 = await Activity.GetActivePlayersAsync(new ActivityFilter(Org, Game, T0.AddMinutes(25), null), None);
        var onlyCy = await Activity.GetActivePlayersAsync(new ActivityFilter(Org, Game, T0.AddMinutes(25), [Cy, "pk-nobody"]), None);
        var later = await Activity.GetActivePlayersAsync(new ActivityFilter(Org, Game, T0.AddMinutes(56), null), None);

        Assert.Equal([new ActivePlayer(Ada, T0.AddMinutes(55)), new ActivePlayer(Cy, T0.AddMinutes(40)), new ActivePlayer(Ben, T0.AddMinutes(25))], since25);
        Assert.Equal([new ActivePlayer(Cy, T0.AddMinutes(40))], onlyCy);
        Assert.Empty(later);
    }
}

public sealed class SqliteActivityCompliance() : ActivityCompliance(new SqliteStoreMaker());

public sealed class PostgresActivityCompliance(Cairn.Tests.Support.PostgresServer server) : ActivityCompliance(new PostgresStoreMaker(server)), IClassFixture<Cairn.Tests.Support.PostgresServer>;
