using System.Reflection;

namespace Cairn.Cli;

/// <summary>What <c>cairn help</c>, <c>cairn COMMAND --help</c> and <c>cairn --version</c> print.</summary>
internal static class Usage
{
    public const string Text = """
        cairn: telemetry and progress for educational games

        Usage:
          cairn serve  [--data DIR] [--port N] [--host ADDR] [--store sqlite] [--catalogs DIR] [--demo] [--production]
          cairn keys create --org ORG --game GAME                       an ingest key
          cairn keys create --org ORG --role ROLE [--teacher ID[,ID…]] [--player RAW_ID]   a read token
                 (roles: admin, org-admin, teacher-admin, teacher, student)
          cairn keys create --org ORG --game GAME --role lrs            an xAPI LRS credential (user:password)
          cairn keys list [--org ORG] | cairn keys revoke KEY_ID      (all keys commands take --data, --store)
          cairn import FILE --org ORG [--mapping MAP.yaml] [--game GAME] [--source SRC] [--format jsonl|json|csv|tsv]
                       [--batch N] [--data DIR] [--store S] [--catalogs DIR] [--no-jobs] [--quiet]
          cairn worker [--data DIR] [--store sqlite] [--catalogs DIR] [--workers N]
          cairn simulate [--url URL] --key INGEST_KEY [--game mhs] [--students N] [--speed X] [--duration SECONDS]
                       [--catalogs DIR] [--group ID --org ORG [--admin-token T]] [--seed N]
          cairn simulate --lms [--url URL] --key INGEST_KEY [--students N] [--standards N] [--assignments N] [--pause MS]
                       [--group ID] [--seed N]
          cairn catalog check FILE|DIR [FILE|DIR…]
          cairn schema check DIR                                         the event-data JSON Schemas, offline
          cairn jobs dead [--data DIR] [--store S]
          cairn jobs retry [--id N] [--data DIR] [--store S]
          cairn mastery fit [--org O] [--game G] [--standard S] [--min-players N] [--catalogs DIR] [--data DIR] [--store S]
          cairn orgs set --org ORG --auto-create-classes true|false      an org's setting (orgs.json in --data)
          cairn roster import FILE.csv --org ORG [--game GAME]          columns: group, playerId, displayName[, teacher, consent, under13, parentalConsent, declinedCategories]
          cairn erase --org ORG --player RAW_ID                         remove a player's data everywhere
          cairn purge [--now TIME]                                       apply retention once
          cairn export events|progress|projections [--org ORG] [--group G] [--since T] [--until T] [--format csv|json] [--names] [--out FILE]
          cairn rekey                                                    move players to the current pepper version
          cairn help [COMMAND] | cairn COMMAND --help | cairn --version

        --store takes 'sqlite' (the default, a file in --data) or a PostgreSQL connection string
        ("Host=…;Port=…;Username=…;Database=…").

        Environment: CAIRN_ADMIN_TOKEN, CAIRN_PEPPER (or CAIRN_PEPPER_FILE), CAIRN_DATA, CAIRN_STORE,
        and CAIRN_Section__Key for any setting (see docs/configuration.md).
        """;

    private const string StoreOptions = """
          --data DIR        the data directory (default ./data, or CAIRN_DATA): cairn.db and the dev pepper
          --store S         'sqlite' (default, DIR/cairn.db) or a PostgreSQL connection string (or CAIRN_STORE)
        """;

    /// <summary>Help per command and per "command verb"; the key is what follows <c>cairn</c>.</summary>
    private static readonly Dictionary<string, string> Commands = new(StringComparer.Ordinal)
    {
        ["serve"] = $"""
            cairn serve: runs the HTTP service (ingest, API, dashboard) until Ctrl+C.

            Usage: cairn serve [--data DIR] [--port N] [--host ADDR] [--store S] [--catalogs DIR] [--demo] [--production]

            Options:
            {StoreOptions}
              --port N          the port to listen on (default 5080; 0 picks a free one)
              --host ADDR       the address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)
              --catalogs DIR    the game catalogs (default ./catalogs)
              --demo            also play a simulated class of 25 students, so the dashboard fills in
              --production      refuse to start without CAIRN_ADMIN_TOKEN and a configured pepper

            With the SQLite store, one server at a time uses a data directory (DIR/cairn.lock).

            Examples:
              cairn serve --demo
              cairn serve --port 8080 --data /var/lib/cairn
              CAIRN_ADMIN_TOKEN=… CAIRN_PEPPER_FILE=/run/secrets/pepper cairn serve --production --host 0.0.0.0
            """,
        ["keys"] = """
            cairn keys: creates, lists and revokes ingest keys and read tokens in the store.

            Usage:
              cairn keys create --org ORG --game GAME [--catalogs DIR] [--data DIR] [--store S]
              cairn keys create --org ORG --role ROLE [--teacher ID[,ID…]] [--player RAW_ID] [--data DIR] [--store S]
              cairn keys list [--org ORG] [--data DIR] [--store S]
              cairn keys revoke KEY_ID [--data DIR] [--store S]

            A key works only on a server that uses the same store: give the same --data (or --store) as 'cairn serve'.
            'cairn keys create --help' and the others tell more.

            Examples:
              cairn keys create --org demo --game mhs
              cairn keys list --org demo
              cairn keys revoke key_3f9a2c41d0e7
            """,
        ["keys create"] = $"""
            cairn keys create: makes an ingest key (with --game) or a read token (with --role). The key is printed alone
            on stdout, once; which store it was written to is said on stderr.

            Usage:
              cairn keys create --org ORG --game GAME [--catalogs DIR]
              cairn keys create --org ORG --role ROLE [--teacher ID[,ID…]] [--player RAW_ID]
              cairn keys create --org ORG --game GAME --role lrs

            With --role lrs the last stdout line is 'user:password' for HTTP Basic on /xapi/ (docs/xapi.md): it writes
            the game's statements and reads the org's.

            Options:
              --org ORG         the organisation (school, district) the key belongs to
              --game GAME       an ingest key for this game (a catalog should define it)
              --role ROLE       a read token: admin, org-admin, teacher-admin, teacher or student; or lrs (xAPI, with --game)
              --teacher IDS     the teacher ids a teacher token covers (comma-separated)
              --player RAW_ID   the player a student token covers
              --catalogs DIR    where to look for the game's catalog, to warn of a game no catalog defines (default ./catalogs)
            {StoreOptions}

            Examples:
              cairn keys create --org demo --game mhs
              cairn keys create --org demo --role teacher --teacher t-ms-lee
              KEY=$(cairn keys create --org demo --game mhs --data /var/lib/cairn)
            """,
        ["keys list"] = $"""
            cairn keys list: lists keys and tokens (ids, never secrets), live and revoked.

            Usage: cairn keys list [--org ORG]

            Options:
              --org ORG         only this organisation's keys
            {StoreOptions}

            Example:
              cairn keys list --org demo
            """,
        ["keys revoke"] = $"""
            cairn keys revoke: revokes a key or token by its id (see 'cairn keys list').

            Usage: cairn keys revoke KEY_ID

            Options:
            {StoreOptions}

            Example:
              cairn keys revoke key_3f9a2c41d0e7
            """,
        ["import"] = $"""
            cairn import: loads an export (JSON lines, JSON, CSV or TSV) through the ingest pipeline, offline.

            Usage: cairn import FILE --org ORG [--mapping MAP.yaml] [--game GAME] [--source SRC] [--format jsonl|json|csv|tsv]
                                [--batch N] [--catalogs DIR] [--no-jobs] [--quiet]

            Options:
              --org ORG         the organisation the players belong to
              --mapping FILE    how the file's columns map to events (see mappings/ and docs/import.md)
              --game GAME       the game, when the mapping does not say
              --source SRC      the system of record (part of the deduplication key)
              --format F        jsonl, json, csv or tsv (default: from the file name or the mapping)
              --batch N         events per transaction (default 1000)
              --catalogs DIR    the game catalogs (default ./catalogs)
              --no-jobs         do not run the queued progress jobs before returning (a server or worker runs them)
              --quiet           no progress line
            {StoreOptions}

            Examples:
              cairn import export.jsonl --org demo --game mhs
              cairn import waves.csv --org district7 --mapping mappings/waves.yaml
            """,
        ["worker"] = $"""
            cairn worker: runs job workers only (no HTTP) against the store, until Ctrl+C.

            Usage: cairn worker [--data DIR] [--store S] [--catalogs DIR] [--workers N]

            Options:
            {StoreOptions}
              --catalogs DIR    the game catalogs (default ./catalogs)
              --workers N       worker loops (default 1, up to 64)

            Example:
              cairn worker --store "Host=db;Username=cairn;Database=cairn" --workers 4
            """,
        ["simulate"] = """
            cairn simulate: plays a simulated class against a running server. It stops with exit code 1 when the server
            refuses the key (401 or 403).

            Usage: cairn simulate [--url URL] --key INGEST_KEY [--game mhs] [--students N] [--speed X] [--duration SECONDS]
                                  [--catalogs DIR] [--group ID --org ORG [--admin-token T]] [--seed N]

            Options:
              --url URL         the server (default http://127.0.0.1:5080/)
              --key KEY         an ingest key for the game (or CAIRN_INGEST_KEY)
              --game GAME       the game to play (default mhs)
              --students N      how many students (default 25)
              --speed X         game seconds per real second (default 30)
              --duration S      stop after S real seconds (default: when everyone is done)
              --catalogs DIR    the game catalogs (default ./catalogs)
              --group ID        also create the class and its roster (needs --org and an admin token)
              --org ORG         the organisation of --group
              --admin-token T   the admin token (or CAIRN_ADMIN_TOKEN)
              --seed N          the random seed (default 7)

            Examples:
              cairn simulate --key "$KEY" --students 10 --speed 300
              cairn simulate --key "$KEY" --group 7b --org demo --admin-token "$CAIRN_ADMIN_TOKEN"

            With --lms it plays a class of an LMS through a term instead, in the LMS contract (docs/ingest.md): every
            student has a hidden skill per standard; each assignment (one per past school day, on one standard in turn)
            is assigned, submitted and graded, so mastery rises (GET /v1/players/{playerKey}/mastery), and one student
            in eight drifts into risk from mid-term (most submissions missing, scores falling). The events name the
            class, which the server creates for the key's game and fills. It prints a line per assignment and who drifts.

            Usage: cairn simulate --lms [--url URL] --key INGEST_KEY [--students N] [--standards N] [--assignments N]
                                  [--pause MS] [--group ID] [--seed N]

              --students N      how many students (default 25, up to 5000)
              --standards N     how many standards, MATH.5.1 … (default 4, up to 30)
              --assignments N   how many assignments, one per day ending today (default 16, up to 365)
              --pause MS        real milliseconds between assignments (default 1000; 0: as fast as the server takes them)
              --group ID        the class id the events name (default lms-7b)
              --seed N          the random seed (default 7): the same seed gives the same class and answers

            Example:
              cairn simulate --lms --key "$KEY" --students 30 --standards 5 --assignments 20
            """,
        ["catalog"] = """
            cairn catalog check: validates catalogs offline, as the server would load them, and reports every error
            of every file.

            Usage: cairn catalog check FILE|DIR [FILE|DIR…]

            A directory means its *.yaml and *.yml files. Exit code 0 when all are valid, 1 otherwise.

            Examples:
              cairn catalog check catalogs
              cairn catalog check catalogs/mhs.yaml my-game.yaml
            """,
        ["schema"] = """
            cairn schema check: loads a schemas directory offline, as the server would, and reports every refused file.

            Usage: cairn schema check DIR

            DIR holds {game}/{eventType}/MAJOR.MINOR.PATCH.json files, each a JSON Schema (draft 2020-12) of the event's
            'data'. A file is refused when it is not valid JSON or not a valid schema, or when a minor or patch version is not
            backward compatible with the previous version of its major (a property removed, newly required or narrowed).
            Each refusal is a line 'cairn: FILE: reason' on stderr. Exit code 0 when every file is valid, 1 otherwise.

            Examples:
              cairn schema check schemas
            """,
        ["jobs"] = $"""
            cairn jobs: the progress job queue.

            Usage:
              cairn jobs dead               lists dead-lettered jobs and the queue's counts
              cairn jobs retry [--id N]     requeues one dead job, or all of them

            Options:
              --id N            only this job
            {StoreOptions}

            Examples:
              cairn jobs dead
              cairn jobs retry --id 42
            """,
        ["mastery"] = $"""
            cairn mastery fit: estimates the BKT parameters (prior, learn, guess, slip) of each standard from stored history.

            Usage: cairn mastery fit [--org O] [--game G] [--standard S] [--min-players N] [--catalogs DIR]

            Fits on 80 % of the players (EM), prints per standard the parameters, the log-likelihood and the AUC on the
            other 20 %, stores them as the standard's next parameter version and queues a recompute of its rows (a running
            server or 'cairn worker' runs them). Guess and slip stay at or below 0.3.

            Options:
              --org O           only this organisation
              --game G          only this game
              --standard S      only this standard
              --min-players N   skip standards with fewer training players (default {Mastery.MasteryFitter.DefaultMinPlayers})
              --catalogs DIR    the catalogs (default ./catalogs): thresholds and starting parameters
            {StoreOptions}

            Example:
              cairn mastery fit --org demo --game lms
            """,
        ["orgs"] = """
            cairn orgs set: changes an org's settings, kept in orgs.json in the data directory; a server on that data
            directory applies the change at once, without a restart.

            Usage: cairn orgs set --org ORG --auto-create-classes true|false [--data DIR]

            Options:
              --org ORG                    the organisation
              --auto-create-classes B      true (the default): an LMS event's class_id that names no class creates it for
                                           the ingest key's game; false: it does not, and the event's result warns
              --data DIR                   the data directory (default ./data, or CAIRN_DATA)

            Example:
              cairn orgs set --org district-7 --auto-create-classes false
            """,
        ["roster"] = $"""
            cairn roster import: sets classes' rosters from a CSV file (each group's roster becomes the file's rows for it).

            Usage: cairn roster import FILE.csv --org ORG [--game GAME]

            Columns: group, playerId, displayName, and optionally teacher, consent (granted, opted-out, unknown),
            under13, parentalConsent, declinedCategories (event categories the player declines, separated by ";").

            Options:
              --org ORG         the organisation
              --game GAME       the game of groups that do not exist yet
            {StoreOptions}

            Example:
              cairn roster import class-7b.csv --org demo --game mhs
            """,
        ["erase"] = $"""
            cairn erase: removes a player's data everywhere (events, progress, jobs, memberships, directory).
            Exit code 1 when the store holds nothing of that player.

            Usage: cairn erase --org ORG --player RAW_ID

            Options:
              --org ORG         the organisation
              --player RAW_ID   the player's id as the game sends it
            {StoreOptions}

            Example:
              cairn erase --org demo --player student-17
            """,
        ["purge"] = $"""
            cairn purge: applies the retention settings once (a server does it every Retention:PeriodHours).

            Usage: cairn purge [--now TIME]

            Options:
              --now TIME        pretend it is TIME (e.g. 2030-01-01T00:00:00Z)
            {StoreOptions}

            Example:
              cairn purge
            """,
        ["export"] = $"""
            cairn export: writes events or progress as CSV or JSON, or the rows every other projection keeps of the players as JSON.

            Usage: cairn export events|progress|projections [--org ORG] [--group G] [--since T] [--until T] [--format csv|json] [--names] [--out FILE]

            Options:
              --org ORG         one organisation
              --group G         one class
              --since T         events from T (e.g. 2026-09-01)
              --until T         events before T
              --format F        csv (default) or json (projections: json only)
              --names           add display names (the export is audited as such)
              --out FILE        write to FILE instead of stdout
            {StoreOptions}

            Examples:
              cairn export progress --group 7b --org demo --out 7b.csv
              cairn export events --org demo --since 2026-09-01 --format json
              cairn export projections --group 7b --org demo --out 7b-projections.json
            """,
        ["rekey"] = $"""
            cairn rekey: after a pepper rotation, moves every player's data to the current pepper version.

            Usage: cairn rekey

            Options:
            {StoreOptions}

            Example:
              CAIRN_Identity__PepperVersion=2 cairn rekey
            """,
        ["help"] = """
            cairn help: prints the usage of every command, or of one.

            Usage: cairn help [COMMAND [VERB]]

            Examples:
              cairn help
              cairn help keys create
            """,
    };

    /// <summary>The help of a command line's command (and verb, where it has one); null for an unknown command.</summary>
    public static string? For(IReadOnlyList<string> words)
    {
        var positional = words.Where(w => !w.StartsWith('-')).ToList();
        if (positional.Count == 0)
        {
            return Text;
        }
        if (positional.Count > 1 && Commands.TryGetValue($"{positional[0]} {positional[1]}", out var verbHelp))
        {
            return verbHelp;
        }
        return Commands.GetValueOrDefault(positional[0]);
    }

    /// <summary>The commands there are, for "did you mean".</summary>
    public static IEnumerable<string> CommandNames => Commands.Keys.Where(k => !k.Contains(' ', StringComparison.Ordinal));

    public static string Version =>
        typeof(Usage).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion is { } version
            ? version.Split('+')[0]
            : typeof(Usage).Assembly.GetName().Version?.ToString() ?? "unknown";
}
