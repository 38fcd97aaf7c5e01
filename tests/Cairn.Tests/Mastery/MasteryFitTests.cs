using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Cairn.Catalogs;
using Cairn.Hosting;
using Cairn.Identity;
using Cairn.Ingest;
using Cairn.Jobs;
using Cairn.Mastery;
using Cairn.Mastery.Storage;
using Cairn.Projections;
using Cairn.Storage;
using Cairn.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Cairn.Tests.Mastery;

/// <summary>
/// A fit from stored history, on each store: synthetic students' graded LMS events in, the fit's parameters stored as
/// version 1 of each standard, every row of the standard recomputed with them.
/// </summary>
public abstract class MasteryFitTests : IAsyncLifetime
{
    private const string Org = "org-fit";
    private const string Game = "lms";
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DateTimeOffset T0 = new(2026, 1, 5, 8, 0, 0, TimeSpan.Zero);

    private readonly PlayerKeys _keys = new(Encoding.UTF8.GetBytes(TestServer.Pepper), 1);
    private Stores _stores = null!;
    private ProjectionSet _projections = null!;

    private protected abstract Task<StorageOptions> StorageAsync();

    private protected abstract Task CleanUpAsync();

    public async Task InitializeAsync()
    {
        _stores = Stores.Open(await StorageAsync(), Features.Projections);
        await _stores.Schema.MigrateAsync(None);
        var catalogs = new CatalogRegistry(Path.Combine(Path.GetTempPath(), "no-catalogs-" + Guid.NewGuid().ToString("N")), NullLogger<CatalogRegistry>.Instance);
        _projections = ProjectionSet.From(Features.Projections, new ProjectionContext(_stores, catalogs, TimeProvider.System));
    }

    public async Task DisposeAsync()
    {
        await _stores.DisposeAsync();
        await CleanUpAsync();
    }

    private IMasteryStore Mastery => _stores.Projection<IMasteryStore>(MasteryProjection.Name);

    private async Task IngestAsync(IReadOnlyList<JsonObject> events)
    {
        var pipeline = new IngestPipeline(new EventNormalizer(EventSchemas.Empty, new IngestOptions().DropFields), _keys, new IngestOptions().MaxEventBytes,
            projections: _projections);
        foreach (var chunk in events.Chunk(500))
        {
            var prepared = pipeline.Prepare(new IngestScope(Org, Game),
                chunk.Select(e => new IncomingEvent(e, Encoding.UTF8.GetByteCount(e.ToJsonString()), null)).ToList());
            Assert.All(prepared.Results, r => Assert.True(r is null, r is null ? null : string.Join("; ", r.Errors!.Select(e => $"{e.Path}: {e.Message}"))));
            await _stores.Events.WriteAsync([prepared.Batch], None);
        }
    }

    private async Task DrainAsync()
    {
        var runner = new JobRunner(_stores.Jobs, _projections, Options.Create(new JobOptions { BatchSize = 200 }), TimeProvider.System, NullLogger<JobRunner>.Instance);
        for (var i = 0; i < 1000 && await runner.RunOnceAsync("w", None) > 0; i++)
        {
        }
    }

    /// <summary>Graded submissions of 300 students × 20 answers on one standard, drawn from known parameters (a fixed seed).</summary>
    private static List<JsonObject> Synthetic(BktParameters truth, string standard)
    {
        var events = new List<JsonObject>();
        var t = 0;
        foreach (var (student, answers) in BktFitterTests.Students(truth, 300, 20, 42).Select((a, i) => ($"stu-{i}", a)))
        {
            for (var n = 0; n < answers.Length; n++)
            {
                events.Add(new JsonObject
                {
                    ["event_id"] = $"{student}-{n}",
                    ["source"] = "lms",
                    ["timestamp"] = T0.AddMinutes(n).AddSeconds(t++ % 50).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                    ["student_id"] = student,
                    ["class_id"] = "c-1",
                    ["assignment_id"] = $"a-{n}",
                    ["standard_ids"] = new JsonArray(standard),
                    ["score"] = answers[n] ? 90 : 40,
                });
            }
        }
        return events;
    }

    [SkippableFact]
    public async Task Issue_12_a_fit_from_stored_history_stores_a_version_and_recomputes_the_rows_with_it()
    {
        var truth = new BktParameters(0.3, 0.15, 0.2, 0.1);
        await IngestAsync(Synthetic(truth, "NF.1"));
        await DrainAsync();
        var someone = _keys.Compute(Org, "stu-7");
        Assert.Equal("default", Assert.Single(await Mastery.GetPlayerMasteryAsync(someone, Game, None)).ParameterVersion);
        var fitter = new MasteryFitter(_stores.Events, _stores.Jobs, Mastery, _ => MasterySettings.Default, TimeProvider.System);

        var report = Assert.Single(await fitter.FitAsync(Org, null, null, MasteryFitter.DefaultMinPlayers, None));

        var fit = report.Fit!;
        Assert.Equal((1, "NF.1", 300), (fit.Version, fit.StandardId, report.TrainPlayers + report.TestPlayers));
        Assert.InRange(report.TestPlayers, 30, 90);
        Assert.Equal(report.TrainPlayers * 20, fit.Observations);
        // On 80 % of 300 students the estimate is close, not exact.
        Assert.InRange(fit.Parameters.Prior, truth.Prior - 0.08, truth.Prior + 0.08);
        Assert.InRange(fit.Parameters.Learn, truth.Learn - 0.08, truth.Learn + 0.08);
        Assert.InRange(fit.Parameters.Guess, truth.Guess - 0.08, truth.Guess + 0.08);
        Assert.InRange(fit.Parameters.Slip, truth.Slip - 0.08, truth.Slip + 0.08);
        Assert.InRange(fit.Auc!.Value, 0.65, 1);
        Assert.Equal(300, report.Requeued);
        var stored = await Mastery.GetLatestParametersAsync(Org, Game, "NF.1", None);
        Assert.Equal(fit.Parameters, stored!.Parameters);
        Assert.Equal(fit.LogLikelihood, stored.LogLikelihood, 9);

        await DrainAsync();

        var row = Assert.Single(await Mastery.GetPlayerMasteryAsync(someone, Game, None));
        Assert.Equal("fit:1", row.ParameterVersion);
        var again = Assert.Single(await fitter.FitAsync(Org, Game, "NF.1", MasteryFitter.DefaultMinPlayers, None));
        Assert.Equal(2, again.Fit!.Version);
    }

    [SkippableFact]
    public async Task Issue_12_a_standard_with_too_few_players_is_skipped_and_keeps_its_parameters()
    {
        await IngestAsync(Synthetic(new BktParameters(0.3, 0.15, 0.2, 0.1), "NF.2").Take(60).ToList());
        await DrainAsync();
        var fitter = new MasteryFitter(_stores.Events, _stores.Jobs, Mastery, _ => MasterySettings.Default, TimeProvider.System);

        var report = Assert.Single(await fitter.FitAsync(null, null, null, MasteryFitter.DefaultMinPlayers, None));

        Assert.Null(report.Fit);
        Assert.Contains("--min-players", report.Skipped, StringComparison.Ordinal);
        Assert.Null(await Mastery.GetLatestParametersAsync(Org, Game, "NF.2", None));
    }
}

public sealed class SqliteMasteryFitTests : MasteryFitTests
{
    private readonly TempDirectory _root = new();

    private protected override Task<StorageOptions> StorageAsync() => Task.FromResult(new StorageOptions { DataDirectory = _root.Path });

    private protected override Task CleanUpAsync()
    {
        _root.Dispose();
        return Task.CompletedTask;
    }
}

public sealed class PostgresMasteryFitTests(PostgresServer server) : MasteryFitTests, IClassFixture<PostgresServer>
{
    private PostgresDatabase? _database;

    private protected override async Task<StorageOptions> StorageAsync()
    {
        _database = await server.CreateDatabaseAsync();
        return new StorageOptions { Store = _database.ConnectionString };
    }

    private protected override async Task CleanUpAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
