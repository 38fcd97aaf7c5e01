namespace Cairn.Storage.Postgres;

/// <summary>Versioned schema for PostgreSQL. Append new versions; never edit one that has shipped.</summary>
internal static class PostgresMigrations
{
    public static readonly IReadOnlyList<(int Version, string Sql)> All =
    [
        (1, """
            -- Events are partitioned by day of their timestamp; partitions are created by the writer as needed.
            CREATE TABLE events (
                seq            bigint GENERATED ALWAYS AS IDENTITY,
                org_id         text NOT NULL,
                game           text NOT NULL,
                source         text NOT NULL,
                event_id       text NOT NULL,
                event_type     text NOT NULL,
                ts             timestamptz NOT NULL,
                player_key     text,
                session_id     text,
                event_key      text,
                data           jsonb NOT NULL,
                device         jsonb,
                context        jsonb,
                schema_version text,
                privacy_level  text NOT NULL,
                received_at    timestamptz NOT NULL
            ) PARTITION BY RANGE (ts);
            CREATE INDEX ix_events_player_ts ON events (player_key, ts, seq) WHERE player_key IS NOT NULL;
            CREATE INDEX ix_events_player_type_ts ON events (player_key, event_type, ts) WHERE player_key IS NOT NULL;

            -- A unique key on a partitioned table must hold the partition key; idempotency is global, so it has its own table.
            CREATE TABLE event_ids (
                org_id   text NOT NULL,
                source   text NOT NULL,
                event_id text NOT NULL,
                PRIMARY KEY (org_id, source, event_id)
            );

            CREATE TABLE rejected_events (
                id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                org_id      text NOT NULL,
                game        text NOT NULL,
                event_id    text,
                player_key  text,
                received_at timestamptz NOT NULL,
                raw         text NOT NULL,
                reasons     jsonb NOT NULL
            );
            CREATE INDEX ix_rejected_org ON rejected_events (org_id, id);

            CREATE TABLE players (
                player_key   text PRIMARY KEY,
                org_id       text NOT NULL,
                raw_id       text NOT NULL,
                first_seen   timestamptz NOT NULL,
                display_name text
            );

            CREATE TABLE api_keys (
                id         text PRIMARY KEY,
                key_hash   text NOT NULL UNIQUE,
                org_id     text NOT NULL,
                game       text NOT NULL,
                created_at timestamptz NOT NULL,
                revoked_at timestamptz
            );

            CREATE TABLE jobs (
                id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                org_id           text NOT NULL,
                game             text NOT NULL,
                player_key       text NOT NULL,
                point_id         text NOT NULL,
                trigger_event_id text,
                version          bigint NOT NULL DEFAULT 1,
                attempts         integer NOT NULL DEFAULT 0,
                run_after        timestamptz NOT NULL,
                lease_owner      text,
                lease_until      timestamptz,
                last_error       text,
                created_at       timestamptz NOT NULL,
                UNIQUE (org_id, game, player_key, point_id)
            );
            CREATE INDEX ix_jobs_due ON jobs (run_after, id);

            CREATE TABLE dead_jobs (
                id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                org_id           text NOT NULL,
                game             text NOT NULL,
                player_key       text NOT NULL,
                point_id         text NOT NULL,
                trigger_event_id text,
                attempts         integer NOT NULL,
                last_error       text,
                failed_at        timestamptz NOT NULL
            );

            CREATE TABLE progress_points (
                org_id           text NOT NULL,
                game             text NOT NULL,
                player_key       text NOT NULL,
                point_id         text NOT NULL,
                status           text NOT NULL,
                score            double precision,
                duration_seconds double precision,
                count            integer,
                completed_at     timestamptz NOT NULL,
                score_version    text NOT NULL,
                trigger_event_id text NOT NULL,
                updated_at       timestamptz NOT NULL,
                change_seq       bigint NOT NULL,
                PRIMARY KEY (org_id, game, player_key, point_id)
            );
            CREATE INDEX ix_progress_player ON progress_points (player_key, game);
            CREATE INDEX ix_progress_point ON progress_points (game, point_id);
            CREATE INDEX ix_progress_changed ON progress_points (org_id, game, change_seq);

            CREATE TABLE progress_changes (
                seq        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                org_id     text NOT NULL,
                game       text NOT NULL,
                player_key text NOT NULL,
                point_id   text NOT NULL,
                status     text,
                changed_at timestamptz NOT NULL
            );
            CREATE INDEX ix_progress_changes ON progress_changes (org_id, game, seq);

            CREATE TABLE groups (
                id         text PRIMARY KEY,
                org_id     text NOT NULL,
                name       text NOT NULL,
                game       text NOT NULL,
                created_at timestamptz NOT NULL
            );
            CREATE INDEX ix_groups_org ON groups (org_id, id);

            CREATE TABLE group_teachers (
                group_id   text NOT NULL,
                teacher_id text NOT NULL,
                PRIMARY KEY (group_id, teacher_id)
            );
            CREATE INDEX ix_group_teachers_teacher ON group_teachers (teacher_id);

            CREATE TABLE group_members (
                group_id   text NOT NULL,
                player_key text NOT NULL,
                PRIMARY KEY (group_id, player_key)
            );
            CREATE INDEX ix_group_members_player ON group_members (player_key);
            """),
        (2, """
            ALTER TABLE api_keys ADD COLUMN role text;
            ALTER TABLE api_keys ADD COLUMN teachers text;
            ALTER TABLE api_keys ADD COLUMN player_key text;

            ALTER TABLE players ADD COLUMN consent text NOT NULL DEFAULT 'unknown';
            ALTER TABLE players ADD COLUMN under13 boolean NOT NULL DEFAULT false;
            ALTER TABLE players ADD COLUMN parental_consent boolean NOT NULL DEFAULT false;
            CREATE INDEX ix_players_consent ON players (consent) WHERE consent = 'opted-out';

            CREATE TABLE audit_log (
                id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                at     timestamptz NOT NULL,
                actor  text NOT NULL,
                action text NOT NULL,
                scope  text NOT NULL,
                detail text NOT NULL
            );

            CREATE INDEX ix_rejected_player ON rejected_events (player_key) WHERE player_key IS NOT NULL;
            CREATE INDEX ix_changes_player ON progress_changes (player_key);
            """),
        (3, """
            CREATE TABLE sessions (
                id_hash    text PRIMARY KEY,
                token_hash text NOT NULL,
                csrf       text NOT NULL,
                expires    timestamptz NOT NULL
            );
            """),
        (4, """
            -- Group ids are unique per org, not across orgs: a group is keyed by (org, id), and so are its teachers and
            -- members. A member's seat numbers them within the group (a neutral label for a child without a name).
            ALTER TABLE group_teachers ADD COLUMN org_id text;
            UPDATE group_teachers t SET org_id = g.org_id FROM groups g WHERE g.id = t.group_id;
            DELETE FROM group_teachers WHERE org_id IS NULL;
            ALTER TABLE group_teachers ALTER COLUMN org_id SET NOT NULL;
            ALTER TABLE group_teachers DROP CONSTRAINT group_teachers_pkey;
            ALTER TABLE group_teachers ADD PRIMARY KEY (org_id, group_id, teacher_id);

            ALTER TABLE group_members ADD COLUMN org_id text;
            ALTER TABLE group_members ADD COLUMN seat integer;
            UPDATE group_members m SET org_id = s.org_id, seat = s.n FROM (
                SELECT g.org_id, m2.group_id, m2.player_key, row_number() OVER (PARTITION BY m2.group_id ORDER BY m2.player_key COLLATE "C") AS n
                FROM group_members m2 JOIN groups g ON g.id = m2.group_id) s
            WHERE s.group_id = m.group_id AND s.player_key = m.player_key;
            DELETE FROM group_members WHERE org_id IS NULL;
            ALTER TABLE group_members ALTER COLUMN org_id SET NOT NULL;
            ALTER TABLE group_members ALTER COLUMN seat SET NOT NULL;
            ALTER TABLE group_members DROP CONSTRAINT group_members_pkey;
            ALTER TABLE group_members ADD PRIMARY KEY (org_id, group_id, player_key);

            ALTER TABLE groups DROP CONSTRAINT groups_pkey;
            ALTER TABLE groups ADD PRIMARY KEY (org_id, id);
            DROP INDEX ix_groups_org;

            -- A display name an org admin set is not replaced by a teacher-admin's roster.
            ALTER TABLE players ADD COLUMN name_locked boolean NOT NULL DEFAULT false;
            """),
        (5, """
            -- Generic jobs: a job names a projection and a key of one player (for progress, a point id). The queued and
            -- dead jobs of before were all progress jobs.
            ALTER TABLE jobs ADD COLUMN projection text NOT NULL DEFAULT 'progress';
            ALTER TABLE jobs ALTER COLUMN projection DROP DEFAULT;
            ALTER TABLE jobs RENAME COLUMN point_id TO job_key;
            ALTER TABLE jobs DROP CONSTRAINT jobs_org_id_game_player_key_point_id_key;
            ALTER TABLE jobs ADD CONSTRAINT jobs_projection_key UNIQUE (projection, org_id, game, player_key, job_key);
            ALTER TABLE dead_jobs ADD COLUMN projection text NOT NULL DEFAULT 'progress';
            ALTER TABLE dead_jobs ALTER COLUMN projection DROP DEFAULT;
            ALTER TABLE dead_jobs RENAME COLUMN point_id TO job_key;
            """),
    ];

    public static int Latest => All[^1].Version;
}
