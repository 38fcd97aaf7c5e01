using Cairn.Storage;
using Cairn.Tests.Support;

namespace Cairn.Tests.Storage;

/// <summary>
/// What every store compliance class shares: a migrated store per fact (and more on request), the clock, the tenants
/// and players facts use, and helpers that write events, claim jobs and materialize progress cells. Each contract has its
/// own abstract class of facts (<see cref="EventLogCompliance"/>, <see cref="JobQueueCompliance"/>, …), run on every
/// store by a Sqlite* and a Postgres* subclass that only say which <see cref="StoreMaker"/> (wolverine's
/// MessageStoreCompliance).
/// </summary>
public abstract class StoreFacts : IAsyncLifetime
{
    private protected const string Org = "org-a";
    private protected const string OtherOrg = "org-b";
    private protected const string Game = "game-x";
    private protected const string OtherGame = "game-y";
    private protected const string Ada = "pk-ada";
    private protected const string Ben = "pk-ben";
    private protected const string Cy = "pk-cy";
    private protected static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);
    private protected static readonly DateTimeOffset T0 = new(2025, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private protected static readonly CancellationToken None = CancellationToken.None;

    private readonly StoreMaker _maker;
    private readonly List<Stores> _stores = [];

    private protected StoreFacts(StoreMaker maker) => _maker = maker;

    /// <summary>The migrated store each fact starts with.</summary>
    private protected Stores Store { get; private set; } = null!;

    /// <summary>
    /// Stores stamp new jobs with the wall clock: this clock starts an hour ahead (on a whole second) so they are due
    /// on it; lease and retry facts move it further.
    /// </summary>
    private protected ManualTimeProvider Clock { get; } = new(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds()));

    private protected DateTimeOffset Now => Clock.GetUtcNow();

    public async Task InitializeAsync()
    {
        try
        {
            Store = await MigratedStoreAsync();
        }
        catch
        {
            // xUnit does not dispose a test class whose initialization failed: a database made for it would be left behind.
            await DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }
        _stores.Clear();
        await _maker.CleanUpAsync();
    }

    /// <summary>A new, empty store that is not migrated yet, with its options changed by <paramref name="configure"/>. A fact may ask for more than one.</summary>
    private protected async Task<Stores> NewStoreAsync(Action<StorageOptions>? configure = null)
    {
        var store = await _maker.CreateAsync(configure);
        _stores.Add(store);
        return store;
    }

    private protected async Task<Stores> MigratedStoreAsync(Action<StorageOptions>? configure = null)
    {
        var store = await NewStoreAsync(configure);
        await store.Schema.MigrateAsync(None);
        return store;
    }

    private protected static EventRecord Event(
        string id, string? player = Ada, DateTimeOffset? at = null, string type = "LevelDone", string org = Org, string game = Game,
        string source = "src-1", string data = """{"n":1}""", IReadOnlyList<string>? points = null) =>
        new(org, game, source, id, type, at ?? T0, player, "sess-1", null, data, null, null, null, "standard",
            points?.Select(p => new Cairn.Projections.JobKey(Cairn.Progress.ProgressProjection.Name, p)).ToList());

    private protected static WriteBatch Batch(params EventRecord[] events) => new(events, [], []);

    private protected static RejectedRecord Rejected(string eventId, string org = Org, string game = Game) =>
        new(org, game, eventId, null, $$"""{"eventId":"{{eventId}}"}""", """[{"path":"type","code":"required","message":"missing"}]""");

    private protected ProgressRow Row(
        string player, string point, string status = "green", double? score = 42, string version = "v1", string org = Org, string game = Game,
        DateTimeOffset? completedAt = null, DateTimeOffset? updatedAt = null) =>
        new(org, game, player, point, status, score, 30.5, 3, completedAt ?? T0.AddMinutes(5), version, "e-1", updatedAt ?? Now);

    private protected async Task<bool[]> WriteEventsAsync(params EventRecord[] events) => (await Store.Events.WriteAsync([Batch(events)], None))[0];

    private protected async Task<IReadOnlyList<StoredEvent>> TimelineAsync(string playerKey) =>
        (await Store.Events.GetTimelineAsync(new TimelineQuery(playerKey, null, null, 1000, null), None)).Items;

    /// <summary>
    /// Claims jobs. Class rollup jobs (issue #12), which rosters and progress writes of group members queue, are not what
    /// these facts are about: they are completed at once (no rows) and left out.
    /// </summary>
    private protected async Task<IReadOnlyList<JobLease>> ClaimAsync(string worker, int max = 10)
    {
        var jobs = await Store.Jobs.ClaimJobsAsync(worker, max, Lease, Now, None);
        var rollups = jobs.Where(j => j.Projection == Cairn.Rollups.RollupsProjection.Name).ToList();
        if (rollups.Count > 0)
        {
            await Store.Jobs.CompleteJobsAsync([.. rollups.Select(j => new JobCompletion(j, null))], worker, Now, None);
        }
        return [.. jobs.Where(j => j.Projection != Cairn.Rollups.RollupsProjection.Name)];
    }

    /// <summary>The queue's counts without class rollup jobs (see <see cref="ClaimAsync"/>).</summary>
    private protected async Task<JobCounts> CountJobsExceptRollupsAsync()
    {
        var counts = (await Store.Jobs.CountJobsByProjectionAsync(None)).Where(p => p.Key != Cairn.Rollups.RollupsProjection.Name).Select(p => p.Value).ToList();
        return new JobCounts(counts.Sum(c => c.Pending), counts.Sum(c => c.Leased), counts.Sum(c => c.Dead));
    }

    /// <summary>Writes a trigger for the row's cell, then claims and completes its job with the row (as of <see cref="Now"/>).</summary>
    private protected Task MaterializeAsync(ProgressRow row) => MaterializeAsync(row, row.PlayerKey, row.PointId, row.OrgId, row.Game);

    private protected async Task MaterializeAsync(ProgressRow? row, string player, string point, string org = Org, string game = Game)
    {
        await WriteEventsAsync(Event("t-" + Guid.NewGuid().ToString("N"), player, org: org, game: game, points: [point]));
        var job = Assert.Single(await ClaimAsync("materializer"));
        Assert.Equal((org, game, player, point), (job.OrgId, job.Game, job.PlayerKey, job.Key));
        Assert.True((await Store.Jobs.CompleteJobsAsync([new JobCompletion(job, row)], "materializer", Now, None))[0]);
    }

    private protected async Task<GroupRecord> GroupWithAsync(params string[] players)
    {
        var group = new GroupRecord("g-" + Guid.NewGuid().ToString("N")[..8], Org, "Class", Game, ["t-1"]);
        Assert.True(await Store.Groups.UpsertGroupAsync(group, None));
        await Store.Groups.ReplaceMembersAsync(group.Id, Org, players.Select(p => new DirectoryEntry(Org, p, p + "@school.example")).ToList(),
            players.Select(_ => (string?)null).ToList(), lockNames: false, None);
        return group;
    }
}
