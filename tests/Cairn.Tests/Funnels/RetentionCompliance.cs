using Cairn.Cohorts;
using Cairn.Storage;
using Cairn.Storage.Postgres;
using Cairn.Storage.Sqlite;
using Cairn.Tests.Storage;

namespace Cairn.Tests.Funnels;

/// <summary>Retention cohorts from hand-made active days, read back from each store (a Sqlite* and a Postgres* subclass).</summary>
public abstract class RetentionCompliance : StoreFacts
{
    private const string Dee = "pk-dee";

    // A Saturday: its Monday-based week began on 2025-02-24.
    private static readonly DateTimeOffset Day0 = new(2025, 3, 1, 0, 0, 0, TimeSpan.Zero);

    private protected RetentionCompliance(StoreMaker maker)
        : base(maker)
    {
    }

    private IRetentionStore Retention => Store.Database switch
    {
        SqliteDatabase sqlite => new SqliteRetentionStore(sqlite),
        PostgresDatabase postgres => new PostgresRetentionStore(postgres),
        _ => throw new InvalidOperationException(),
    };

    private static EventRecord On(string player, int day, double hour = 12) =>
        Event($"{player}-{day}-{hour}", player, Day0.AddDays(day).AddHours(hour));

    /// <summary>Ada: days 0, 1 (twice), 3. Ben: 0, 2. Cy: −5 (before the range) and 1. Dee: 1, 2. Org B's Dee on day 0 must not count.</summary>
    private async Task SeedAsync() => await WriteEventsAsync(
        On(Ada, 0), On(Ada, 1, 1), On(Ada, 1, 23.9), On(Ada, 3), On(Ben, 0, 0.01), On(Ben, 2, 23.99), On(Cy, -5), On(Cy, 1), On(Dee, 1), On(Dee, 2),
        Event("b-dee", Dee, Day0.AddHours(3), org: OtherOrg));

    private async Task<IReadOnlyList<RetentionCohort>> RunAsync(RetentionInterval interval, DateTimeOffset from, DateTimeOffset to, IReadOnlyList<string>? players = null) =>
        RetentionTable.Compute(await Retention.GetActiveDaysAsync(Org, Game, to, players, None), interval, from, to);

    [SkippableFact]
    public async Task Issue_15_daily_cohorts_are_players_by_first_seen_day_with_the_share_active_each_later_day()
    {
        await SeedAsync();

        var cohorts = await RunAsync(RetentionInterval.Day, Day0, Day0.AddDays(4));

        Assert.Equal([Day0, Day0.AddDays(1), Day0.AddDays(2), Day0.AddDays(3)], cohorts.Select(c => c.Start));
        Assert.Equal([2L, 1, 0, 0], cohorts.Select(c => c.Players));  // Cy was first seen before the range: in no cohort
        Assert.Equal([2L, 1, 1, 1], cohorts[0].Active);
        Assert.Equal([1, 0.5, 0.5, 0.5], cohorts[0].Share);
        Assert.Equal([1L, 1, 0], cohorts[1].Active);
        Assert.Equal([0L, 0], cohorts[2].Active);
        Assert.Equal([0.0], cohorts[3].Share);
    }

    [SkippableFact]
    public async Task Issue_15_weekly_cohorts_start_on_monday_and_count_a_player_once_a_week()
    {
        await SeedAsync();
        var monday = new DateTimeOffset(2025, 2, 24, 0, 0, 0, TimeSpan.Zero);

        var cohorts = await RunAsync(RetentionInterval.Week, monday, monday.AddDays(21));

        Assert.Equal([monday, monday.AddDays(7), monday.AddDays(14)], cohorts.Select(c => c.Start));
        Assert.Equal([4L, 0, 0], cohorts.Select(c => c.Players));
        Assert.Equal([4L, 3, 0], cohorts[0].Active);  // Cy's second day (Sunday 2 March) is still week one
        Assert.Equal([1, 0.75, 0], cohorts[0].Share);
    }

    [SkippableFact]
    public async Task Issue_15_a_retention_players_filter_counts_only_those_players()
    {
        await SeedAsync();

        var cohorts = await RunAsync(RetentionInterval.Day, Day0, Day0.AddDays(4), [Ben, Dee]);

        Assert.Equal([1L, 1, 0, 0], cohorts.Select(c => c.Players));
        Assert.Equal([1L, 0, 1, 0], cohorts[0].Active);
    }
}

public sealed class SqliteRetentionCompliance() : RetentionCompliance(new SqliteStoreMaker());

public sealed class PostgresRetentionCompliance(Cairn.Tests.Support.PostgresServer server) : RetentionCompliance(new PostgresStoreMaker(server)), IClassFixture<Cairn.Tests.Support.PostgresServer>;
