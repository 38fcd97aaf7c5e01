using Microsoft.Data.Sqlite;
using Npgsql;

namespace Cairn.Rollups;

/// <summary>
/// Queues (or bumps, coalescing) class rollup jobs inside a caller's write transaction. A class job has no player: its
/// playerKey is <c>''</c> and its key the group id (<see cref="RollupsProjection"/>). Called where a member's data changes
/// under the classes: a mastery row or a progress cell written, a roster replaced, a student erased.
/// </summary>
internal static class RollupTriggers
{
    /// <summary>The classes of a player (of one game, or of all when <paramref name="game"/> is null), on SQLite.</summary>
    public static int EnqueueClassesOf(SqliteConnection connection, SqliteTransaction tx, string orgId, string? game, string playerKey, long nowMicros)
    {
        using var command = Cairn.Storage.Sqlite.SqliteSql.Command(connection, tx, """
            INSERT INTO jobs (projection, org_id, game, player_key, job_key, run_after, created_at)
            SELECT $projection, m.org_id, g.game, '', m.group_id, $now, $now
            FROM group_members m JOIN groups g ON g.org_id = m.org_id AND g.id = m.group_id
            WHERE m.player_key = $pk AND m.org_id = $org AND ($game IS NULL OR g.game = $game)
            ON CONFLICT (projection, org_id, game, player_key, job_key) DO UPDATE SET version = version + 1;
            """, ("$projection", RollupsProjection.Name), ("$now", nowMicros), ("$pk", playerKey), ("$org", orgId), ("$game", game));
        return command.ExecuteNonQuery();
    }

    /// <summary>One class's job (its roster changed), on SQLite.</summary>
    public static int EnqueueClass(SqliteConnection connection, SqliteTransaction tx, string orgId, string groupId, long nowMicros)
    {
        using var command = Cairn.Storage.Sqlite.SqliteSql.Command(connection, tx, """
            INSERT INTO jobs (projection, org_id, game, player_key, job_key, run_after, created_at)
            SELECT $projection, org_id, game, '', id, $now, $now FROM groups WHERE org_id = $org AND id = $g
            ON CONFLICT (projection, org_id, game, player_key, job_key) DO UPDATE SET version = version + 1;
            """, ("$projection", RollupsProjection.Name), ("$org", orgId), ("$g", groupId), ("$now", nowMicros));
        return command.ExecuteNonQuery();
    }

    /// <summary>The classes of a player (of one game, or of all), on PostgreSQL.</summary>
    public static async Task<int> EnqueueClassesOfAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, string orgId, string? game, string playerKey, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using (var member = Cairn.Storage.Postgres.PostgresSql.Command(connection, tx,
            "SELECT EXISTS (SELECT 1 FROM group_members WHERE player_key = $1 AND org_id = $2);", playerKey, orgId))
        {
            if (!(bool)(await member.ExecuteScalarAsync(cancellationToken))!)
            {
                return 0;
            }
        }
        await SerializeAsync(connection, tx, cancellationToken);
        await using var command = Cairn.Storage.Postgres.PostgresSql.Command(connection, tx, """
            INSERT INTO jobs (projection, org_id, game, player_key, job_key, run_after, created_at)
            SELECT $1, m.org_id, g.game, '', m.group_id, $2, $2
            FROM group_members m JOIN groups g ON g.org_id = m.org_id AND g.id = m.group_id
            WHERE m.player_key = $3 AND m.org_id = $4 AND ($5::text IS NULL OR g.game = $5)
            ON CONFLICT (projection, org_id, game, player_key, job_key) DO UPDATE SET version = jobs.version + 1;
            """, RollupsProjection.Name, now, playerKey, orgId, game);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>One class's job (its roster changed), on PostgreSQL.</summary>
    public static async Task<int> EnqueueClassAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, string orgId, string groupId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await SerializeAsync(connection, tx, cancellationToken);
        await using var command = Cairn.Storage.Postgres.PostgresSql.Command(connection, tx, """
            INSERT INTO jobs (projection, org_id, game, player_key, job_key, run_after, created_at)
            SELECT $1, org_id, game, '', id, $2, $2 FROM groups WHERE org_id = $3 AND id = $4
            ON CONFLICT (projection, org_id, game, player_key, job_key) DO UPDATE SET version = jobs.version + 1;
            """, RollupsProjection.Name, now, orgId, groupId);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Transactions that complete jobs of two workers bump class jobs (row locks) in any order, and a student may be in
    /// several classes: two could wait on each other. Each takes, before its first bump, the transaction lock the progress
    /// change log already takes, so bumping transactions run one after the other and never wait on that lock in the other
    /// order either.
    /// </summary>
    private static Task SerializeAsync(NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken cancellationToken) =>
        Cairn.Storage.Postgres.PostgresSql.ExecuteAsync(connection, tx,
            $"SELECT pg_advisory_xact_lock({Progress.Storage.PostgresProgressStore.ChangeLogLock});", cancellationToken);
}
