namespace Cairn.Storage.Sqlite;

/// <summary>Versioned schema. Append new versions; never edit one that has shipped.</summary>
internal static class SqliteMigrations
{
    public static readonly IReadOnlyList<(int Version, string Sql)> All =
    [
        (1, """
            CREATE TABLE events (
                seq            INTEGER PRIMARY KEY,
                org_id         TEXT NOT NULL,
                game           TEXT NOT NULL,
                source         TEXT NOT NULL,
                event_id       TEXT NOT NULL,
                event_type     TEXT NOT NULL,
                ts             INTEGER NOT NULL,
                player_key     TEXT,
                session_id     TEXT,
                event_key      TEXT,
                data           TEXT NOT NULL,
                device         TEXT,
                context        TEXT,
                schema_version TEXT,
                privacy_level  TEXT NOT NULL,
                received_at    INTEGER NOT NULL
            );
            CREATE UNIQUE INDEX ux_events_idempotency ON events (org_id, source, event_id);
            CREATE INDEX ix_events_player_ts ON events (player_key, ts, seq) WHERE player_key IS NOT NULL;

            CREATE TABLE rejected_events (
                id          INTEGER PRIMARY KEY,
                org_id      TEXT NOT NULL,
                game        TEXT NOT NULL,
                event_id    TEXT,
                player_key  TEXT,
                received_at INTEGER NOT NULL,
                raw         TEXT NOT NULL,
                reasons     TEXT NOT NULL
            );
            CREATE INDEX ix_rejected_org ON rejected_events (org_id, id);

            CREATE TABLE players (
                player_key  TEXT PRIMARY KEY,
                org_id      TEXT NOT NULL,
                raw_id      TEXT NOT NULL,
                first_seen  INTEGER NOT NULL
            );

            CREATE TABLE api_keys (
                id          TEXT PRIMARY KEY,
                key_hash    TEXT NOT NULL UNIQUE,
                org_id      TEXT NOT NULL,
                game        TEXT NOT NULL,
                created_at  INTEGER NOT NULL,
                revoked_at  INTEGER
            );
            """),
    ];

    public static int Latest => All[^1].Version;
}
