using System.Data.Common;
using Cairn.Projections;
using Cairn.Storage;
using Cairn.Storage.Postgres;
using Cairn.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Cairn.Tests.Projections;

/// <summary>
/// A deliberately tiny second projection, to prove the contract (not shipped): per player, how many events of each
/// <c>Count*</c> type they sent. Its key is the event type; its table and migration are its own.
/// </summary>
internal sealed class EventCountProjection(IEventLog events) : IProjection
{
    public const string Name = "event-counts";

    public const string Table = "test_event_counts";

    public static readonly ProjectionModule Module = new(Name, _ => new SqliteStore(), _ => new PostgresStore(), c => new EventCountProjection(c.Stores.Events));

    public static readonly IReadOnlyList<PlayerKeyTable> PlayerTables =
        [new(Table, Name, ["org_id", "game", "event_type"], JobKeyColumn: "event_type", RetentionColumn: "updated_at")];

    string IProjection.Name => Name;

    /// <summary>Counts (and so recomputes) only event types that start with <c>Count</c>: decided from the event alone.</summary>
    public void Collect(ProjectionEvent e, ICollection<string> keys)
    {
        if (e.EventType.StartsWith("Count", StringComparison.Ordinal))
        {
            keys.Add(e.EventType);
        }
    }

    public async Task<object?> ComputeAsync(JobLease job, CancellationToken cancellationToken)
    {
        var history = await events.GetHistoryAsync(job.OrgId, job.Game, job.PlayerKey, [job.Key], cancellationToken);
        return history.Count == 0 ? null : history.Count;
    }

    private sealed class SqliteStore : IProjectionStore
    {
        public string Projection => Name;

        public IReadOnlyList<(int Version, string Sql)> Migrations { get; } =
        [
            (1, $"""
                CREATE TABLE {Table} (org_id TEXT NOT NULL, game TEXT NOT NULL, player_key TEXT NOT NULL, event_type TEXT NOT NULL,
                                      count INTEGER NOT NULL, updated_at INTEGER NOT NULL, PRIMARY KEY (org_id, game, player_key, event_type));
                """),
        ];

        public IReadOnlyList<PlayerKeyTable> PlayerTables => EventCountProjection.PlayerTables;

        public Task WriteAsync(DbTransaction transaction, JobLease job, object? result, DateTimeOffset now, CancellationToken cancellationToken)
        {
            var tx = (SqliteTransaction)transaction;
            using var command = tx.Connection!.CreateCommand();
            command.Transaction = tx;
            command.CommandText = result is int count
                ? $"""
                  INSERT INTO {Table} (org_id, game, player_key, event_type, count, updated_at) VALUES ($o, $g, $p, $t, $c, $u)
                  ON CONFLICT (org_id, game, player_key, event_type) DO UPDATE SET count = excluded.count, updated_at = excluded.updated_at;
                  """
                : $"DELETE FROM {Table} WHERE org_id = $o AND game = $g AND player_key = $p AND event_type = $t;";
            command.Parameters.AddWithValue("$o", job.OrgId);
            command.Parameters.AddWithValue("$g", job.Game);
            command.Parameters.AddWithValue("$p", job.PlayerKey);
            command.Parameters.AddWithValue("$t", job.Key);
            command.Parameters.AddWithValue("$c", result is int c ? c : 0);
            command.Parameters.AddWithValue("$u", TimeCodec.ToMicros(now));
            command.ExecuteNonQuery();
            return Task.CompletedTask;
        }
    }

    private sealed class PostgresStore : IProjectionStore
    {
        public string Projection => Name;

        public IReadOnlyList<(int Version, string Sql)> Migrations { get; } =
        [
            (1, $"""
                CREATE TABLE {Table} (org_id text NOT NULL, game text NOT NULL, player_key text NOT NULL, event_type text NOT NULL,
                                      count integer NOT NULL, updated_at timestamptz NOT NULL, PRIMARY KEY (org_id, game, player_key, event_type));
                """),
        ];

        public IReadOnlyList<PlayerKeyTable> PlayerTables => EventCountProjection.PlayerTables;

        public async Task WriteAsync(DbTransaction transaction, JobLease job, object? result, DateTimeOffset now, CancellationToken cancellationToken)
        {
            var tx = (NpgsqlTransaction)transaction;
            await using var command = new NpgsqlCommand(result is int
                ? $"""
                  INSERT INTO {Table} (org_id, game, player_key, event_type, count, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
                  ON CONFLICT (org_id, game, player_key, event_type) DO UPDATE SET count = excluded.count, updated_at = excluded.updated_at;
                  """
                : $"DELETE FROM {Table} WHERE org_id = $1 AND game = $2 AND player_key = $3 AND event_type = $4 AND $5 >= 0 AND $6 IS NOT NULL;",
                tx.Connection, tx);
            command.Parameters.AddWithValue(job.OrgId);
            command.Parameters.AddWithValue(job.Game);
            command.Parameters.AddWithValue(job.PlayerKey);
            command.Parameters.AddWithValue(job.Key);
            command.Parameters.AddWithValue(result is int c ? c : 0);
            command.Parameters.AddWithValue(now.UtcDateTime);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
