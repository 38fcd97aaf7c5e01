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
        (2, """
            -- The materializer reads one player's events of a few types.
            CREATE INDEX ix_events_player_type_ts ON events (player_key, event_type, ts) WHERE player_key IS NOT NULL;

            CREATE TABLE jobs (
                id               INTEGER PRIMARY KEY,
                org_id           TEXT NOT NULL,
                game             TEXT NOT NULL,
                player_key       TEXT NOT NULL,
                point_id         TEXT NOT NULL,
                trigger_event_id TEXT,
                version          INTEGER NOT NULL DEFAULT 1,
                attempts         INTEGER NOT NULL DEFAULT 0,
                run_after        INTEGER NOT NULL,
                lease_owner      TEXT,
                lease_until      INTEGER,
                last_error       TEXT,
                created_at       INTEGER NOT NULL,
                UNIQUE (org_id, game, player_key, point_id)
            );
            CREATE INDEX ix_jobs_due ON jobs (run_after, id);

            CREATE TABLE dead_jobs (
                id               INTEGER PRIMARY KEY,
                org_id           TEXT NOT NULL,
                game             TEXT NOT NULL,
                player_key       TEXT NOT NULL,
                point_id         TEXT NOT NULL,
                trigger_event_id TEXT,
                attempts         INTEGER NOT NULL,
                last_error       TEXT,
                failed_at        INTEGER NOT NULL
            );

            CREATE TABLE progress_points (
                org_id           TEXT NOT NULL,
                game             TEXT NOT NULL,
                player_key       TEXT NOT NULL,
                point_id         TEXT NOT NULL,
                status           TEXT NOT NULL,
                score            REAL,
                duration_seconds REAL,
                count            INTEGER,
                completed_at     INTEGER NOT NULL,
                score_version    TEXT NOT NULL,
                trigger_event_id TEXT NOT NULL,
                updated_at       INTEGER NOT NULL,
                change_seq       INTEGER NOT NULL,
                PRIMARY KEY (org_id, game, player_key, point_id)
            );
            CREATE INDEX ix_progress_player ON progress_points (player_key, game);
            CREATE INDEX ix_progress_point ON progress_points (game, point_id);
            CREATE INDEX ix_progress_changed ON progress_points (org_id, game, change_seq);

            -- Every change of a cell (status NULL = the row was removed), for "changed since" and live streams.
            CREATE TABLE progress_changes (
                seq        INTEGER PRIMARY KEY,
                org_id     TEXT NOT NULL,
                game       TEXT NOT NULL,
                player_key TEXT NOT NULL,
                point_id   TEXT NOT NULL,
                status     TEXT,
                changed_at INTEGER NOT NULL
            );
            CREATE INDEX ix_progress_changes ON progress_changes (org_id, game, seq);
            """),
        (3, """
            ALTER TABLE players ADD COLUMN display_name TEXT;

            CREATE TABLE groups (
                id         TEXT PRIMARY KEY,
                org_id     TEXT NOT NULL,
                name       TEXT NOT NULL,
                game       TEXT NOT NULL,
                created_at INTEGER NOT NULL
            );
            CREATE INDEX ix_groups_org ON groups (org_id, id);

            CREATE TABLE group_teachers (
                group_id   TEXT NOT NULL,
                teacher_id TEXT NOT NULL,
                PRIMARY KEY (group_id, teacher_id)
            );
            CREATE INDEX ix_group_teachers_teacher ON group_teachers (teacher_id);

            CREATE TABLE group_members (
                group_id   TEXT NOT NULL,
                player_key TEXT NOT NULL,
                PRIMARY KEY (group_id, player_key)
            );
            CREATE INDEX ix_group_members_player ON group_members (player_key);
            """),
        (4, """
            -- Read tokens: a role and a scope. Ingest keys have no role.
            ALTER TABLE api_keys ADD COLUMN role TEXT;
            ALTER TABLE api_keys ADD COLUMN teachers TEXT;
            ALTER TABLE api_keys ADD COLUMN player_key TEXT;

            ALTER TABLE players ADD COLUMN consent TEXT NOT NULL DEFAULT 'unknown';
            ALTER TABLE players ADD COLUMN under13 INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE players ADD COLUMN parental_consent INTEGER NOT NULL DEFAULT 0;
            CREATE INDEX ix_players_consent ON players (consent) WHERE consent = 'opted-out';

            CREATE TABLE audit_log (
                id     INTEGER PRIMARY KEY,
                at     INTEGER NOT NULL,
                actor  TEXT NOT NULL,
                action TEXT NOT NULL,
                scope  TEXT NOT NULL,
                detail TEXT NOT NULL
            );

            CREATE INDEX ix_rejected_player ON rejected_events (player_key) WHERE player_key IS NOT NULL;
            CREATE INDEX ix_changes_player ON progress_changes (player_key);
            """),
        (5, """
            -- One player index serves both the materializer (player, type, time) and the timeline (player, then
            -- sorted by time): every insert pays for one index fewer.
            DROP INDEX ix_events_player_ts;
            """),
        (6, """
            -- Browser sessions: hashes only, so a copy of the table opens no session.
            CREATE TABLE sessions (
                id_hash    TEXT PRIMARY KEY,
                token_hash TEXT NOT NULL,
                csrf       TEXT NOT NULL,
                expires    INTEGER NOT NULL
            );
            """),
        (7, """
            -- Group ids are unique per org, not across orgs: a group is keyed by (org, id), and so are its teachers and
            -- members. A member's seat numbers them within the group (a neutral label for a child without a name).
            CREATE TABLE groups_v7 (
                org_id     TEXT NOT NULL,
                id         TEXT NOT NULL,
                name       TEXT NOT NULL,
                game       TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                PRIMARY KEY (org_id, id)
            );
            INSERT INTO groups_v7 (org_id, id, name, game, created_at) SELECT org_id, id, name, game, created_at FROM groups;

            CREATE TABLE group_teachers_v7 (
                org_id     TEXT NOT NULL,
                group_id   TEXT NOT NULL,
                teacher_id TEXT NOT NULL,
                PRIMARY KEY (org_id, group_id, teacher_id)
            );
            INSERT INTO group_teachers_v7 (org_id, group_id, teacher_id)
            SELECT g.org_id, t.group_id, t.teacher_id FROM group_teachers t JOIN groups g ON g.id = t.group_id;

            CREATE TABLE group_members_v7 (
                org_id     TEXT NOT NULL,
                group_id   TEXT NOT NULL,
                player_key TEXT NOT NULL,
                seat       INTEGER NOT NULL,
                PRIMARY KEY (org_id, group_id, player_key)
            );
            INSERT INTO group_members_v7 (org_id, group_id, player_key, seat)
            SELECT g.org_id, m.group_id, m.player_key, ROW_NUMBER() OVER (PARTITION BY m.group_id ORDER BY m.player_key)
            FROM group_members m JOIN groups g ON g.id = m.group_id;

            DROP TABLE group_members;
            DROP TABLE group_teachers;
            DROP TABLE groups;
            ALTER TABLE groups_v7 RENAME TO groups;
            ALTER TABLE group_teachers_v7 RENAME TO group_teachers;
            ALTER TABLE group_members_v7 RENAME TO group_members;
            CREATE INDEX ix_group_teachers_teacher ON group_teachers (teacher_id);
            CREATE INDEX ix_group_members_player ON group_members (player_key);

            -- A display name an org admin set is not replaced by a teacher-admin's roster.
            ALTER TABLE players ADD COLUMN name_locked INTEGER NOT NULL DEFAULT 0;
            """),
        (8, """
            -- Generic jobs: a job names a projection and a key of one player (for progress, a point id). The queued and
            -- dead jobs of before were all progress jobs.
            CREATE TABLE jobs_v8 (
                id               INTEGER PRIMARY KEY,
                projection       TEXT NOT NULL,
                org_id           TEXT NOT NULL,
                game             TEXT NOT NULL,
                player_key       TEXT NOT NULL,
                job_key          TEXT NOT NULL,
                trigger_event_id TEXT,
                version          INTEGER NOT NULL DEFAULT 1,
                attempts         INTEGER NOT NULL DEFAULT 0,
                run_after        INTEGER NOT NULL,
                lease_owner      TEXT,
                lease_until      INTEGER,
                last_error       TEXT,
                created_at       INTEGER NOT NULL,
                UNIQUE (projection, org_id, game, player_key, job_key)
            );
            INSERT INTO jobs_v8 (id, projection, org_id, game, player_key, job_key, trigger_event_id, version, attempts, run_after,
                                 lease_owner, lease_until, last_error, created_at)
            SELECT id, 'progress', org_id, game, player_key, point_id, trigger_event_id, version, attempts, run_after,
                   lease_owner, lease_until, last_error, created_at FROM jobs;
            DROP TABLE jobs;
            ALTER TABLE jobs_v8 RENAME TO jobs;
            CREATE INDEX ix_jobs_due ON jobs (run_after, id);

            CREATE TABLE dead_jobs_v8 (
                id               INTEGER PRIMARY KEY,
                projection       TEXT NOT NULL,
                org_id           TEXT NOT NULL,
                game             TEXT NOT NULL,
                player_key       TEXT NOT NULL,
                job_key          TEXT NOT NULL,
                trigger_event_id TEXT,
                attempts         INTEGER NOT NULL,
                last_error       TEXT,
                failed_at        INTEGER NOT NULL
            );
            INSERT INTO dead_jobs_v8 (id, projection, org_id, game, player_key, job_key, trigger_event_id, attempts, last_error, failed_at)
            SELECT id, 'progress', org_id, game, player_key, point_id, trigger_event_id, attempts, last_error, failed_at FROM dead_jobs;
            DROP TABLE dead_jobs;
            ALTER TABLE dead_jobs_v8 RENAME TO dead_jobs;
            """),
    ];

    public static int Latest => All[^1].Version;
}
