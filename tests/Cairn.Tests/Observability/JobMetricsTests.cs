using Cairn.Progress;
using Cairn.Projections;
using Cairn.Jobs;
using Cairn.Observability;
using Cairn.Storage;
using Cairn.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static Cairn.Tests.Support.GameEvents;

namespace Cairn.Tests.Observability;

/// <summary>The job metrics of <c>/metrics</c> (the store-held gauges and the runner's figures); a subclass per store.</summary>
public abstract class JobMetricsTests
{
    private const string Projection = "projection=\"progress\"";

    private protected abstract Task<TestServer> StartServerAsync(IReadOnlyDictionary<string, string?> overrides, IReadOnlyDictionary<string, string> catalogs);

    private sealed class FailingHandler : IProjection
    {
        public string Name => ProgressProjection.Name;

        public void Collect(ProjectionEvent e, ICollection<string> keys)
        {
        }

        public Task<object?> ComputeAsync(JobLease job, CancellationToken cancellationToken) => throw new InvalidOperationException("boom");
    }

    private async Task<TestServer> StartAsync() => await StartServerAsync(
        new Dictionary<string, string?> { ["Jobs:Workers"] = "0" },
        new Dictionary<string, string> { ["mhs.yaml"] = await File.ReadAllTextAsync(Path.Combine(SharedData.RepositoryRoot(), "catalogs", "mhs.yaml")) });

    private static async Task TriggerAsync(TestServer server, string player)
    {
        var key = await server.CreateIngestKeyAsync(TestServer.Org, "mhs");
        using var response = await server.PostEventsAsync(Events.Array(DialogueEvent(Events.NewId(), player, 90, 20, 26)), key);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    [SkippableFact]
    public async Task Job_queue_gauges_and_run_latency_move_when_a_job_is_queued_and_run()
    {
        await using var server = await StartAsync();
        var empty = await Scrape.TakeAsync(server);

        await TriggerAsync(server, "ada@school.example");
        await Task.Delay(50);
        var queued = await Scrape.TakeAsync(server);
        var ran = await server.Services.GetRequiredService<JobRunner>().RunOnceAsync("test", CancellationToken.None);
        var done = await Scrape.TakeAsync(server);

        Assert.Equal(0, empty.Value("cairn_jobs_queued", Projection));
        Assert.Equal(0, empty.Value("cairn_jobs_oldest_due_age_seconds", Projection));
        Assert.Equal(1, queued.Value("cairn_jobs_queued", Projection));
        Assert.True(queued.Value("cairn_jobs_oldest_due_age_seconds", Projection) > 0, queued.Text);
        Assert.Equal(1, ran);
        Assert.Equal(0, done.Value("cairn_jobs_queued", Projection));
        Assert.Equal(0, done.Value("cairn_jobs_oldest_due_age_seconds", Projection));
        Assert.Equal(1, done.Value("cairn_job_run_duration_seconds_count", Projection, "outcome=\"ok\""));
    }

    [SkippableFact]
    public async Task Leased_jobs_are_counted_apart_from_queued_ones()
    {
        await using var server = await StartAsync();
        await TriggerAsync(server, "cy@school.example");

        var claimed = await server.Services.GetRequiredService<IJobQueue>().ClaimJobsAsync(
            "test", 10, TimeSpan.FromMinutes(5), DateTimeOffset.UtcNow.AddSeconds(1), CancellationToken.None);
        var scrape = await Scrape.TakeAsync(server);

        Assert.Single(claimed);
        Assert.Equal(1, scrape.Value("cairn_jobs_leased", Projection));
        Assert.Equal(0, scrape.Value("cairn_jobs_queued", Projection));
        Assert.Equal(0, scrape.Value("cairn_jobs_oldest_due_age_seconds", Projection));
    }

    [SkippableFact]
    public async Task Failed_jobs_and_dead_letters_are_counted_and_the_dead_letter_gauge_moves()
    {
        await using var server = await StartAsync();
        await TriggerAsync(server, "bo@school.example");
        var runner = new JobRunner(server.Services.GetRequiredService<IJobQueue>(), new ProjectionSet([new FailingHandler()]),
            Options.Create(new JobOptions { MaxAttempts = 1 }), TimeProvider.System, NullLogger<JobRunner>.Instance,
            metrics: server.Services.GetRequiredService<CairnMetrics>());

        Assert.Equal(1, await runner.RunOnceAsync("test", CancellationToken.None));
        var scrape = await Scrape.TakeAsync(server);

        Assert.Equal(1, scrape.Value("cairn_job_failures", Projection));
        Assert.Equal(1, scrape.Value("cairn_jobs_dead_lettered", Projection));
        Assert.Equal(1, scrape.Value("cairn_jobs_dead", Projection));
        Assert.Equal(1, scrape.Value("cairn_job_run_duration_seconds_count", Projection, "outcome=\"failed\""));
        Assert.Equal(0, scrape.Value("cairn_jobs_queued", Projection));
    }
}

/// <summary>The <see cref="JobMetricsTests"/> facts on the default SQLite store.</summary>
public sealed class SqliteJobMetricsTests : JobMetricsTests
{
    private protected override Task<TestServer> StartServerAsync(IReadOnlyDictionary<string, string?> overrides, IReadOnlyDictionary<string, string> catalogs) =>
        TestServer.StartAsync(overrides, catalogs);
}

/// <summary>The <see cref="JobMetricsTests"/> facts on PostgreSQL.</summary>
public sealed class PostgresJobMetricsTests(PostgresServer postgres) : JobMetricsTests, IClassFixture<PostgresServer>
{
    private protected override Task<TestServer> StartServerAsync(IReadOnlyDictionary<string, string?> overrides, IReadOnlyDictionary<string, string> catalogs) =>
        TestServer.StartAsync(postgres, overrides, catalogs);
}
