using System.Text;
using System.Text.Json.Nodes;
using Cairn.Catalogs;
using Cairn.Hosting;
using Cairn.Identity;
using Cairn.Ingest;
using Cairn.Jobs;
using Cairn.Projections;
using Cairn.Storage;
using Cairn.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Cairn.Tests.Projections;

/// <summary>
/// The projection contract, proved by a tiny second projection (<see cref="EventCountProjection"/>) registered next to
/// progress: its jobs come from ingest, run through the generic queue, write its own table in the completing transaction,
/// and erasure, export, retention and rekeying reach that table without any of them naming it.
/// </summary>
public abstract class SecondProjectionTests : IAsyncLifetime
{
    private const string Org = "org-proj";
    private const string Game = "demo";
    private static readonly CancellationToken None = CancellationToken.None;

    private readonly PlayerKeys _keys = new(Encoding.UTF8.GetBytes(TestServer.Pepper), 1);
    private Stores _stores = null!;
    private ProjectionSet _projections = null!;

    private protected abstract Task<StorageOptions> StorageAsync();

    private protected abstract Task CleanUpAsync();

    /// <summary>Every table of the schema with a <c>player_key</c> column.</summary>
    private protected abstract Task<IReadOnlyList<string>> TablesWithPlayerKeyAsync();

    private protected abstract Task<long> CountAsync(string sql, params object[] values);

    private protected Stores Stores => _stores;

    public async Task InitializeAsync()
    {
        _stores = Stores.Open(await StorageAsync(), [.. Features.Projections, EventCountProjection.Module]);
        await _stores.Schema.MigrateAsync(None);
        var catalogs = new CatalogRegistry(Path.Combine(Path.GetTempPath(), "no-catalogs-" + Guid.NewGuid().ToString("N")), NullLogger<CatalogRegistry>.Instance);
        _projections = ProjectionSet.From([.. Features.Projections, EventCountProjection.Module], new ProjectionContext(_stores, catalogs, TimeProvider.System));
    }

    public async Task DisposeAsync()
    {
        await _stores.DisposeAsync();
        await CleanUpAsync();
    }

    private string KeyOf(string player) => _keys.Compute(Org, player);

    private static JsonObject Event(string player, string type, int minute) => new()
    {
        ["eventId"] = Events.NewId(),
        ["eventType"] = type,
        ["timestamp"] = Events.BaseTime.AddMinutes(minute).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
        ["game"] = Game,
        ["playerId"] = player,
        ["data"] = new JsonObject { ["n"] = minute },
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
        // The store stamps jobs with its clock; they are due at once.
        for (var i = 0; i < 10 && await runner.RunOnceAsync("w", None) > 0; i++)
        {
        }
    }

    private Task<long> CountOfAsync(string player, string type) =>
        CountAsync($"SELECT COALESCE(SUM(count), -1) FROM {EventCountProjection.Table} WHERE player_key = {{0}} AND event_type = {{1}}", KeyOf(player), type);

    private async Task<IReadOnlyList<PlayerDataRow>> ExportAsync(params string[] players)
    {
        var rows = new List<PlayerDataRow>();
        await foreach (var row in _stores.Privacy.ExportPlayerDataAsync(Org, players.Select(KeyOf).ToList(), None))
        {
            rows.Add(row);
        }
        return rows;
    }

    [SkippableFact]
    public async Task Issue_10_a_second_projection_gets_its_own_migration_jobs_and_rows()
    {
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM projection_migrations WHERE projection = {0} AND version = 1", EventCountProjection.Name));

        await IngestAsync(Event("ada", "CountHint", 1), Event("ada", "CountHint", 2), Event("ada", "CountHint", 3), Event("ben", "CountHint", 1), Event("ada", "Other", 4));
        var queued = await _stores.Jobs.CountJobsByProjectionAsync(None);
        // One coalesced job per (player, key): Ada's three hints are one job; "Other" concerns no projection.
        Assert.Equal(2, queued[EventCountProjection.Name].Pending);
        Assert.False(queued.ContainsKey(Cairn.Progress.ProgressProjection.Name));

        await DrainAsync();

        Assert.Equal(3, await CountOfAsync("ada", "CountHint"));
        Assert.Equal(1, await CountOfAsync("ben", "CountHint"));
        Assert.Equal(-1, await CountOfAsync("ada", "Other"));
        Assert.Empty(await _stores.Jobs.CountJobsByProjectionAsync(None));
    }

    [SkippableFact]
    public async Task Issue_10_dead_letters_keep_the_projection_and_retry_into_it()
    {
        await IngestAsync(Event("ada", "CountHint", 1));
        var job = Assert.Single(await _stores.Jobs.ClaimJobsAsync("w", 10, TimeSpan.FromMinutes(1), DateTimeOffset.UtcNow.AddSeconds(5), None));
        Assert.Equal((EventCountProjection.Name, "CountHint"), (job.Projection, job.Key));
        await _stores.Jobs.FailJobAsync(job, "w", "boom", null, DateTimeOffset.UtcNow, None);

        var dead = Assert.Single(await _stores.Jobs.ListDeadJobsAsync(10, None));
        Assert.Equal((EventCountProjection.Name, "CountHint", KeyOf("ada")), (dead.Projection, dead.Key, dead.PlayerKey));
        Assert.Equal(1, await _stores.Jobs.RetryDeadJobsAsync(null, DateTimeOffset.UtcNow, None));
        await DrainAsync();
        Assert.Equal(1, await CountOfAsync("ada", "CountHint"));
    }

    [SkippableFact]
    public async Task Issue_10_erasure_export_retention_and_rekeying_reach_the_new_projections_table()
    {
        await IngestAsync(Event("ada", "CountHint", 1), Event("ben", "CountHint", 1), Event("ben", "CountHint", 2), Event("cy", "CountHint", 1));
        await DrainAsync();

        // Export: the player's rows of every projection table that is exported.
        var exported = Assert.Single(await ExportAsync("ben"), r => r.Table == EventCountProjection.Table);
        Assert.Equal(2, exported.Row.GetProperty("count").GetInt32());
        Assert.Equal(KeyOf("ben"), exported.Row.GetProperty("player_key").GetString());

        // Erasure: the rows go, and the count says from which table.
        var erased = await _stores.Privacy.ErasePlayerAsync(Org, KeyOf("ada"), None);
        Assert.Equal(1, erased[EventCountProjection.Table]);
        Assert.Equal(-1, await CountOfAsync("ada", "CountHint"));
        Assert.Equal(2, await CountOfAsync("ben", "CountHint"));

        // Rekeying: Ben's row moves to the new key and a recompute of it is queued there.
        var newKey = "p2_" + Guid.NewGuid().ToString("N");
        await _stores.Privacy.RekeyPlayerAsync(KeyOf("ben"), newKey, None);
        Assert.Equal(0, await CountAsync($"SELECT COUNT(*) FROM {EventCountProjection.Table} WHERE player_key = {{0}}", KeyOf("ben")));
        Assert.Equal(2, await CountAsync($"SELECT SUM(count) FROM {EventCountProjection.Table} WHERE player_key = {{0}}", newKey));
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM jobs WHERE projection = {0} AND player_key = {1} AND job_key = 'CountHint'", EventCountProjection.Name, newKey));

        // Retention: rows with a time older than the cutoff go with the events.
        await _stores.Privacy.PurgeAsync(new PurgeRule(Org, "standard", DateTimeOffset.UtcNow.AddDays(1), []), None);
        Assert.Equal(0, await CountAsync($"SELECT COUNT(*) FROM {EventCountProjection.Table}"));
    }

    [SkippableFact]
    public async Task Issue_10_every_table_that_holds_a_player_key_is_covered_by_erasure_retention_export_and_rekeying()
    {
        var tables = await TablesWithPlayerKeyAsync();

        Assert.Contains(EventCountProjection.Table, tables);
        Assert.Contains("progress_points", tables);
        Assert.Contains("player_state", tables);
        Assert.Contains("player_achievements", tables);
        Assert.Equal(tables.Order(StringComparer.Ordinal), _stores.PlayerData.AllTables.Order(StringComparer.Ordinal));
    }
}

public sealed class SqliteSecondProjectionTests : SecondProjectionTests
{
    private readonly TempDirectory _root = new();

    private protected override Task<StorageOptions> StorageAsync() => Task.FromResult(new StorageOptions { DataDirectory = _root.Path });

    private protected override Task CleanUpAsync()
    {
        _root.Dispose();
        return Task.CompletedTask;
    }

    private protected override async Task<IReadOnlyList<string>> TablesWithPlayerKeyAsync()
    {
        await using var connection = await ((Cairn.Storage.Sqlite.SqliteDatabase)Stores.Database).OpenAsync(CancellationToken.None);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT m.name FROM sqlite_master m JOIN pragma_table_info(m.name) c WHERE m.type = 'table' AND c.name = 'player_key';";
        var tables = new List<string>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            tables.Add(reader.GetString(0));
        }
        return tables;
    }

    private protected override async Task<long> CountAsync(string sql, params object[] values)
    {
        await using var connection = await ((Cairn.Storage.Sqlite.SqliteDatabase)Stores.Database).OpenAsync(CancellationToken.None);
        using var command = connection.CreateCommand();
        command.CommandText = string.Format(System.Globalization.CultureInfo.InvariantCulture, sql, values.Select((_, i) => (object)("$v" + i)).ToArray());
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters.AddWithValue("$v" + i, values[i]);
        }
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}

public sealed class PostgresSecondProjectionTests(PostgresServer server) : SecondProjectionTests, IClassFixture<PostgresServer>
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

    private protected override async Task<IReadOnlyList<string>> TablesWithPlayerKeyAsync()
    {
        // Partitions of events (events_YYYYMMDD) are the events table's, not tables of their own.
        await using var connection = await ((Cairn.Storage.Postgres.PostgresDatabase)Stores.Database).DataSource.OpenConnectionAsync();
        await using var command = new Npgsql.NpgsqlCommand("""
            SELECT c.relname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE a.attname = 'player_key' AND NOT a.attisdropped AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND n.nspname = current_schema();
            """, connection);
        var tables = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            tables.Add(reader.GetString(0));
        }
        return tables;
    }

    private protected override async Task<long> CountAsync(string sql, params object[] values)
    {
        await using var connection = await ((Cairn.Storage.Postgres.PostgresDatabase)Stores.Database).DataSource.OpenConnectionAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            string.Format(System.Globalization.CultureInfo.InvariantCulture, sql, values.Select((_, i) => (object)("$" + (i + 1))).ToArray()), connection);
        foreach (var value in values)
        {
            command.Parameters.AddWithValue(value);
        }
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
