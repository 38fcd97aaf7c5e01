using System.Text;
using System.Text.Json.Nodes;
using Cairn.Catalogs;
using Cairn.Hosting;
using Cairn.Identity;
using Cairn.Ingest;
using Cairn.Jobs;
using Cairn.PlaySessions;
using Cairn.PlaySessions.Storage;
using Cairn.Projections;
using Cairn.Storage;
using Cairn.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Cairn.Tests.PlaySessions;

/// <summary>
/// The <c>play_sessions</c> table under the privacy operations, on both stores: ingest with the shipped WAVES catalog (which
/// keeps sessions), the generic job runner, then export, rekeying, erasure and retention, which reach the table only through
/// its PlayerKeyTable declaration.
/// </summary>
public abstract class PlaySessionsPrivacyTests : IAsyncLifetime
{
    private const string Org = "org-sessions";
    private const string Game = "waves";
    private static readonly CancellationToken None = CancellationToken.None;

    private readonly PlayerKeys _keys = new(Encoding.UTF8.GetBytes(TestServer.Pepper), 1);
    private readonly TempDirectory _catalogs = new();
    private Stores _stores = null!;
    private ProjectionSet _projections = null!;
    private IPlaySessionStore _sessions = null!;

    private protected abstract Task<StorageOptions> StorageAsync();

    private protected abstract Task CleanUpAsync();

    public async Task InitializeAsync()
    {
        File.Copy(Path.Combine(SharedData.RepositoryRoot(), "catalogs", "waves.yaml"), _catalogs.Combine("waves.yaml"));
        var catalogs = new CatalogRegistry(_catalogs.Path, NullLogger<CatalogRegistry>.Instance);
        catalogs.Reload();
        _stores = Stores.Open(await StorageAsync(), Features.Projections);
        await _stores.Schema.MigrateAsync(None);
        _projections = ProjectionSet.From(Features.Projections, new ProjectionContext(_stores, catalogs, TimeProvider.System));
        _sessions = _stores.Projection<IPlaySessionStore>(SessionsProjection.Name);
    }

    public async Task DisposeAsync()
    {
        await _stores.DisposeAsync();
        await CleanUpAsync();
        _catalogs.Dispose();
    }

    private string KeyOf(string player) => _keys.Compute(Org, player);

    private static JsonObject Play(string player, string eventType, int minute) => new()
    {
        ["eventId"] = Events.NewId(),
        ["eventType"] = eventType,
        ["timestamp"] = Events.BaseTime.AddMinutes(minute).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
        ["game"] = Game,
        ["playerId"] = player,
        ["data"] = new JsonObject(),
    };

    private async Task IngestAsync(params JsonObject[] events)
    {
        var pipeline = new IngestPipeline(new EventNormalizer(EventSchemas.Empty, new IngestOptions().DropFields), _keys, new IngestOptions().MaxEventBytes,
            projections: _projections);
        var prepared = pipeline.Prepare(new IngestScope(Org, Game),
            events.Select(e => new IncomingEvent(e, Encoding.UTF8.GetByteCount(e.ToJsonString()), null)).ToList());
        Assert.All(prepared.Results, r => Assert.Null(r));
        await _stores.Events.WriteAsync([prepared.Batch], None);
    }

    private async Task DrainAsync()
    {
        var runner = new JobRunner(_stores.Jobs, _projections, Options.Create(new JobOptions()), TimeProvider.System, NullLogger<JobRunner>.Instance);
        for (var i = 0; i < 10 && await runner.RunOnceAsync("w", None) > 0; i++)
        {
        }
    }

    [SkippableFact]
    public async Task Issue_15_export_rekeying_erasure_and_retention_reach_the_play_sessions_table()
    {
        // Ada: two sessions (a gap of two hours); Ben and Cy: one each.
        await IngestAsync(
            Play("ada", "session_start", 0), Play("ada", "BEGIN.0", 1), Play("ada", "session_start", 180), Play("ada", "BEGIN.0", 181),
            Play("ben", "session_start", 0), Play("ben", "BEGIN.0", 2), Play("cy", "session_start", 0));
        await DrainAsync();
        Assert.Equal(2, (await _sessions.GetPlayerSessionsAsync(KeyOf("ada"), Game, None)).Count);

        // Export: the player's session rows, and only theirs.
        var exported = new List<PlayerDataRow>();
        await foreach (var row in _stores.Privacy.ExportPlayerDataAsync(Org, [KeyOf("ada")], None))
        {
            exported.Add(row);
        }
        var sessions = exported.Where(r => r.Table == "play_sessions").ToList();
        Assert.Equal(2, sessions.Count);
        Assert.All(sessions, r => Assert.Equal(KeyOf("ada"), r.Row.GetProperty("player_key").GetString()));

        // Rekeying: the rows leave the old key, and the recompute queued under the new key gives the same sessions.
        var newKey = "p2_" + Guid.NewGuid().ToString("N");
        var before = await _sessions.GetPlayerSessionsAsync(KeyOf("ada"), Game, None);
        await _stores.Privacy.RekeyPlayerAsync(KeyOf("ada"), newKey, None);
        Assert.Empty(await _sessions.GetPlayerSessionsAsync(KeyOf("ada"), Game, None));
        await DrainAsync();
        Assert.Equal(before.Select(s => (s.Session.Start, s.Session.End)), (await _sessions.GetPlayerSessionsAsync(newKey, Game, None)).Select(s => (s.Session.Start, s.Session.End)));

        // Erasure: Ben's row goes, counted; the others stay.
        var erased = await _stores.Privacy.ErasePlayerAsync(Org, KeyOf("ben"), None);
        Assert.Equal(1, erased["play_sessions"]);
        Assert.Empty(await _sessions.GetPlayerSessionsAsync(KeyOf("ben"), Game, None));
        Assert.Single(await _sessions.GetPlayerSessionsAsync(KeyOf("cy"), Game, None));

        // Retention: a purge whose cutoff is after every session's end removes the rows with their events.
        await _stores.Privacy.PurgeAsync(new PurgeRule(Org, "standard", DateTimeOffset.UtcNow, []), None);
        Assert.Empty(await _sessions.GetPlayerSessionsAsync(newKey, Game, None));
        Assert.Empty(await _sessions.GetPlayerSessionsAsync(KeyOf("cy"), Game, None));
    }
}

public sealed class SqlitePlaySessionsPrivacyTests : PlaySessionsPrivacyTests
{
    private readonly TempDirectory _root = new();

    private protected override Task<StorageOptions> StorageAsync() => Task.FromResult(new StorageOptions { DataDirectory = _root.Path });

    private protected override Task CleanUpAsync()
    {
        _root.Dispose();
        return Task.CompletedTask;
    }
}

public sealed class PostgresPlaySessionsPrivacyTests(PostgresServer server) : PlaySessionsPrivacyTests, IClassFixture<PostgresServer>
{
    private Cairn.Tests.Support.PostgresDatabase? _database;

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
