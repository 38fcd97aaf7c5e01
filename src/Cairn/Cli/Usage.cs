namespace Cairn.Cli;

internal static class Usage
{
    public const string Text = """
        cairn: telemetry and progress for educational games

        Usage:
          cairn serve  [--data DIR] [--port N] [--host ADDR] [--store sqlite] [--catalogs DIR] [--demo] [--production]
          cairn keys create --org ORG --game GAME                       an ingest key
          cairn keys create --org ORG --role ROLE [--teacher ID[,ID…]] [--player RAW_ID]   a read token
                 (roles: admin, org-admin, teacher-admin, teacher, student)
          cairn keys list [--org ORG] | cairn keys revoke KEY_ID      (all keys commands take --data, --store)
          cairn import FILE --org ORG [--mapping MAP.yaml] [--game GAME] [--source SRC] [--format jsonl|json|csv|tsv]
                       [--batch N] [--data DIR] [--store S] [--catalogs DIR] [--no-jobs] [--quiet]
          cairn worker [--data DIR] [--store sqlite] [--catalogs DIR] [--workers N]
          cairn simulate [--url URL] --key INGEST_KEY [--game mhs] [--students N] [--speed X] [--duration SECONDS]
                       [--catalogs DIR] [--group ID --org ORG [--admin-token T]] [--seed N]
          cairn catalog check FILE [FILE…]
          cairn jobs dead [--data DIR] [--store S]
          cairn jobs retry [--id N] [--data DIR] [--store S]
          cairn roster import FILE.csv --org ORG [--game GAME]          columns: group, playerId, displayName[, teacher, consent, under13, parentalConsent]
          cairn erase --org ORG --player RAW_ID                         remove a player's data everywhere
          cairn purge [--now TIME]                                       apply retention once
          cairn export events|progress [--org ORG] [--group G] [--since T] [--until T] [--format csv|json] [--names] [--out FILE]
          cairn rekey                                                    move players to the current pepper version
          cairn help

        --store takes 'sqlite' (the default, a file in --data) or a PostgreSQL connection string
        ("Host=…;Port=…;Username=…;Database=…").

        Environment: CAIRN_ADMIN_TOKEN, CAIRN_PEPPER (or CAIRN_PEPPER_FILE), CAIRN_DATA, CAIRN_STORE,
        and CAIRN_Section__Key for any setting (see docs/configuration.md).
        """;
}
