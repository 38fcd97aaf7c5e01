using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Cairn.Catalogs;
using Cairn.Identity;
using Cairn.Ingest;
using Cairn.Jobs;
using Cairn.Progress;
using Cairn.Projections;
using Cairn.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Cairn.Tests.Support;

/// <summary>
/// The ingest → store → jobs → progress path without HTTP: a real SQLite file, the real pipeline with catalogs
/// from a temp directory, and job runners on a clock the test controls.
/// </summary>
internal sealed class ProgressHarness : IAsyncDisposable
{
    public const string Org = "org-progress";

    private ProgressHarness(Stores store, CatalogRegistry catalogs, TempDirectory root)
    {
        Root = root;
        Store = store;
        Catalogs = catalogs;
        Pipeline = new IngestPipeline(
            new EventNormalizer(() => catalogs.Current.Schemas, new IngestOptions().DropFields), PlayerKeys, new IngestOptions().MaxEventBytes, catalogs,
            projections: ProjectionSet.From(Cairn.Hosting.Features.Projections, new ProjectionContext(store, catalogs, Time)));
    }

    public TempDirectory Root { get; }

    public string DataDirectory => Root.Combine("data");

    public string DatabasePath => Root.Combine("data", "cairn.db");

    public string CatalogsDirectory => Root.Combine("catalogs");

    public Stores Store { get; }

    public CatalogRegistry Catalogs { get; }

    public IngestPipeline Pipeline { get; }

    public PlayerKeys PlayerKeys { get; } = new(Encoding.UTF8.GetBytes(TestServer.Pepper), 1);

    /// <summary>
    /// Starts an hour ahead of the wall clock: the store stamps new jobs with the real time, and they must be due
    /// on this clock; lease and backoff tests move it further.
    /// </summary>
    public ManualTimeProvider Time { get; } = new(DateTimeOffset.UtcNow.AddHours(1));

    /// <param name="catalogs">Catalog file names under the repository's catalogs/ directory.</param>
    public static async Task<ProgressHarness> StartAsync(params string[] catalogs)
    {
        var root = new TempDirectory();
        Directory.CreateDirectory(root.Combine("catalogs"));
        foreach (var name in catalogs)
        {
            File.Copy(Path.Combine(SharedData.RepositoryRoot(), "catalogs", name), root.Combine("catalogs", name));
        }
        var registry = new CatalogRegistry(root.Combine("catalogs"), NullLogger<CatalogRegistry>.Instance);
        Assert.Empty(registry.Reload().Errors);
        var store = Cairn.Hosting.CairnConfiguration.CreateStore(new StorageOptions { DataDirectory = root.Combine("data") });
        await store.Schema.MigrateAsync(CancellationToken.None);
        return new ProgressHarness(store, registry, root);
    }

    public string KeyOf(string playerId) => PlayerKeys.Compute(Org, playerId);

    /// <summary>The progress projection on this harness's store, catalogs and clock.</summary>
    public ProgressProjection Materializer() => new(Store.Events, Catalogs, Time);

    /// <summary>
    /// A job runner with every shipped projection (the pipeline queues jobs for all of them: the MHS catalog has a
    /// leaderboard, for one), progress being this harness's <see cref="Materializer"/> or a stand-in registered under its name.
    /// </summary>
    public JobRunner Runner(IProjection? projection = null, JobOptions? options = null)
    {
        var progress = projection ?? Materializer();
        var context = new ProjectionContext(Store, Catalogs, Time);
        var others = Cairn.Hosting.Features.Projections.Select(m => m.Create(context)).Where(p => p.Name != progress.Name);
        return new(Store.Jobs, new ProjectionSet([progress, .. others]), Options.Create(options ?? new JobOptions()), Time, NullLogger<JobRunner>.Instance);
    }

    /// <summary>Sends events through the pipeline and the store write; returns, per written event, whether it was new.</summary>
    public async Task<bool[]> IngestAsync(IEnumerable<JsonObject> events, string game = "mhs")
    {
        var incoming = events.Select(e => (JsonNode)e.DeepClone()).Select(n => new IncomingEvent(n, Encoding.UTF8.GetByteCount(n.ToJsonString()), null)).ToList();
        var prepared = Pipeline.Prepare(new IngestScope(Org, game), incoming);
        Assert.All(prepared.Results.Where(r => r is not null), r => Assert.Fail($"event {r!.Index} rejected: {string.Join("; ", r.Errors!.Select(x => x.Message))}"));
        return (await Store.Events.WriteAsync([prepared.Batch], CancellationToken.None))[0];
    }

    public Task<bool[]> IngestAsync(params JsonObject[] events) => IngestAsync((IEnumerable<JsonObject>)events);

    /// <summary>Runs jobs until none is due; returns how many runs it took.</summary>
    public async Task<int> DrainAsync(string worker = "drain", JobRunner? runner = null)
    {
        runner ??= Runner();
        var total = 0;
        for (var round = 0; round < 1000; round++)
        {
            var claimed = await runner.RunOnceAsync(worker, CancellationToken.None);
            if (claimed == 0)
            {
                return total;
            }
            total += claimed;
        }
        throw new InvalidOperationException("jobs never ran out");
    }

    /// <summary>Every progress row as one comparable line (all columns a reader sees, but updated_at and change_seq).</summary>
    public List<string> Rows() => Database.Column(DatabasePath, """
        SELECT player_key || ' ' || point_id || ' ' || status || ' score=' || IFNULL(score, '-') || ' duration=' || IFNULL(duration_seconds, '-')
               || ' count=' || IFNULL(count, '-') || ' at=' || completed_at || ' trigger=' || trigger_event_id || ' version=' || score_version
        FROM progress_points ORDER BY player_key, point_id;
        """);

    public long JobRows() => Database.Scalar(DatabasePath, "SELECT COUNT(*) FROM jobs;");

    public static string Micros(DateTimeOffset t) => Cairn.Storage.TimeCodec.ToMicros(t).ToString(CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        Root.Dispose();
    }
}
