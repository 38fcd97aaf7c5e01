using Cairn.Catalogs;
using Cairn.PlaySessions;
using Cairn.PlaySessions.Storage;
using Cairn.Projections;
using Cairn.Storage;
using Cairn.Tests.Storage;
using Cairn.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cairn.Tests.PlaySessions;

/// <summary>
/// The sessions projection on every store (a Sqlite* and a Postgres* subclass): events written to the log, the jobs they
/// queue run through the queue, the rows and the summary read back. Expectations are written out from the journeys.
/// </summary>
public abstract class PlaySessionsCompliance : StoreFacts, IDisposable
{
    private const string Catalog = """
        game: game-x
        sessions: {gapMinutes: 10, maxHours: 2}
        """;

    private readonly TempDirectory _catalogs = new();
    private readonly CatalogRegistry _registry;
    private int _events;

    private protected PlaySessionsCompliance(StoreMaker maker)
        : base(maker)
    {
        File.WriteAllText(_catalogs.Combine("game-x.yaml"), Catalog);
        _registry = new CatalogRegistry(_catalogs.Path, NullLogger<CatalogRegistry>.Instance);
        Assert.Empty(_registry.Reload().Errors);
    }

    public void Dispose() => _catalogs.Dispose();

    private IPlaySessionStore Sessions => Store.Projection<IPlaySessionStore>(SessionsProjection.Name);

    private EventRecord At(string player, double minutes, string type = "LevelDone", string? platform = null, string? build = null, string? country = null,
        string org = Org) =>
        Event($"s{++_events}", player, T0.AddMinutes(minutes), type, org) with
        {
            DeviceJson = platform is null ? null : $$"""{"platform":"{{platform}}"{{(build is null ? "" : $",\"appVersion\":\"{build}\"")}}}""",
            ContextJson = country is null ? null : $$"""{"country":"{{country}}"}""",
            Jobs = [new JobKey(SessionsProjection.Name, Game)],
        };

    /// <summary>Runs every queued sessions job through the projection and completes it (the store writes the rows).</summary>
    private async Task RunJobsAsync()
    {
        var projection = new SessionsProjection(Sessions, _registry);
        while (await ClaimAsync("w", 100) is { Count: > 0 } jobs)
        {
            var completions = new List<JobCompletion>();
            foreach (var job in jobs)
            {
                completions.Add(new JobCompletion(job, job.Projection == SessionsProjection.Name ? await projection.ComputeAsync(job, None) : null));
            }
            await Store.Jobs.CompleteJobsAsync(completions, "w", Now, None);
        }
    }

    /// <summary>
    /// Ada: an explicit session (0–8), one ended by a gap (9–15), a crash (30–35), one cut at the 2-hour maximum (60–177) and
    /// an open one (186–195). Ben: 0–9.5 (gap), 50 alone (gap), 70 alone (open). Cy plays in org B only.
    /// </summary>
    private async Task SeedAsync()
    {
        await WriteEventsAsync(
            At(Ada, 0, "session_start", "WebGL", "1.2", "NL"), At(Ada, 2, "engage_enemy"), At(Ada, 5, "xp_gain", "iOS"), At(Ada, 8, "session_end"),
            At(Ada, 9, "page_view"), At(Ada, 15), At(Ada, 30), At(Ada, 35, "session_crash"));
        await WriteEventsAsync([.. Enumerable.Range(0, 16).Select(i => At(Ada, 60 + i * 9.0, platform: "WebGL")), At(Ada, 190)]);
        await WriteEventsAsync(At(Ben, 0, platform: "iOS"), At(Ben, 5), At(Ben, 9.5), At(Ben, 50), At(Ben, 70), At(Cy, 0, org: OtherOrg));
        await RunJobsAsync();
    }

    private static string Describe(PlaySessionRow r) =>
        $"{(r.Session.Start - T0).TotalMinutes}-{(r.Session.End - T0).TotalMinutes} {r.Session.EndedBy} {r.Session.Events} {r.Session.Platform ?? "-"}";

    [SkippableFact]
    public async Task Issue_15_sessions_end_by_explicit_end_gap_crash_maximum_or_stay_open()
    {
        await SeedAsync();

        var ada = await Sessions.GetPlayerSessionsAsync(Ada, Game, None);
        var ben = await Sessions.GetPlayerSessionsAsync(Ben, Game, None);

        Assert.Equal(["0-8 explicit 4 WebGL", "9-15 gap 2 -", "30-35 crash 2 -", "60-177 max 14 WebGL", "186-195 open 3 WebGL"], ada.Select(Describe));
        Assert.Equal(["0-9.5 gap 3 iOS", "50-50 gap 1 -", "70-70 open 1 -"], ben.Select(Describe));
        Assert.Equal([OtherOrg], (await Sessions.GetPlayerSessionsAsync(Cy, Game, None)).Select(r => r.OrgId));
        var first = ada[0].Session;
        Assert.Equal(("1.2", "NL", 8 * 60.0), (first.Build, first.Country, first.DurationSeconds));
        Assert.Equal(new Dictionary<string, int> { ["combat"] = 1, ["progression"] = 1, ["session_lifecycle"] = 2 }, first.Categories);
    }

    [SkippableFact]
    public async Task Issue_15_a_recompute_replaces_the_rows_and_a_later_event_extends_the_open_session()
    {
        await SeedAsync();

        await WriteEventsAsync(At(Ben, 75));
        await RunJobsAsync();

        Assert.Equal(["0-9.5 gap 3 iOS", "50-50 gap 1 -", "70-75 open 2 -"], (await Sessions.GetPlayerSessionsAsync(Ben, Game, None)).Select(Describe));
    }

    [SkippableFact]
    public async Task Issue_15_summary_rows_are_the_sessions_started_in_the_window_of_one_org_and_the_players_asked()
    {
        await SeedAsync();

        var all = await Sessions.GetSummaryRowsAsync(Org, Game, T0, T0.AddDays(1), null, None);
        var window = await Sessions.GetSummaryRowsAsync(Org, Game, T0.AddMinutes(9), T0.AddMinutes(60), null, None);
        var onlyBen = await Sessions.GetSummaryRowsAsync(Org, Game, T0, T0.AddDays(1), [Ben, "pk-nobody"], None);
        var other = await Sessions.GetSummaryRowsAsync(OtherOrg, Game, T0, T0.AddDays(1), null, None);

        // Durations written out from the journeys, in minutes.
        double[] durations = [8, 6, 5, 117, 9, 9.5, 0, 0];
        Assert.Equal(durations.Select(m => m * 60).Order(), all.Select(r => r.DurationSeconds).Order());
        Assert.Equal([6 * 60.0, 5 * 60.0, 0.0], window.Select(r => r.DurationSeconds).OrderDescending());
        Assert.Equal(3, onlyBen.Count);
        Assert.All(onlyBen, r => Assert.Equal(Ben, r.PlayerKey));
        Assert.Single(other);

        var summary = SessionSummary.Of(all);
        // Sorted minutes: 0, 0, 5, 6, 8, 9, 9.5, 117. Nearest rank: median = 4th (6 min), p90 = 8th (117 min).
        Assert.Equal(new SessionSummary(8, 2, 6 * 60, 117 * 60, 4), summary);
        var byPlatform = SessionSummary.ByPlatform(all);
        Assert.Equal(["WebGL", "iOS", "unknown"], byPlatform.Keys);
        // WebGL: Ada's 8, 117 and 9 minutes (median: 2nd of 3 = 9); none: Ada's 6 and 5, Ben's 0 and 0 (median: 2nd of 4 = 0, p90: 4th).
        Assert.Equal(new SessionSummary(3, 1, 9 * 60, 117 * 60, 3), byPlatform["WebGL"]);
        Assert.Equal(new SessionSummary(4, 2, 0, 6 * 60, 2), byPlatform["unknown"]);
        Assert.Equal(new SessionSummary(1, 1, 9.5 * 60, 9.5 * 60, 1), byPlatform["iOS"]);
    }
}

public sealed class SqlitePlaySessionsCompliance() : PlaySessionsCompliance(new SqliteStoreMaker());

public sealed class PostgresPlaySessionsCompliance(PostgresServer server) : PlaySessionsCompliance(new PostgresStoreMaker(server)), IClassFixture<PostgresServer>;
