using System.Globalization;
using System.Text;
using Cairn.Access;
using Cairn.Hosting;
using Cairn.Identity;
using Cairn.Privacy;
using Cairn.Storage;

namespace Cairn.Cli;

/// <summary>Offline data-rights commands: <c>erase</c>, <c>purge</c>, <c>export</c>, <c>rekey</c>. Each is audited like its API.</summary>
internal static class PrivacyCommands
{
    private sealed record Context(Stores Store, PlayerKeyring Keyring);

    private static async Task<Context> OpenAsync(string? data, string? storeOption, CancellationToken cancellationToken)
    {
        var identity = Offline.Identity(data);
        var storage = Offline.Storage(data, storeOption);
        var (pepper, _) = PepperSource.Resolve(identity, storage.DataDirectory, production: false);
        var store = await CairnConfiguration.OpenStoreAsync(storage, cancellationToken);
        return new Context(store, PlayerKeyring.From(identity, new PlayerKeys(pepper, identity.PepperVersion)));
    }

    private static readonly Caller.Admin Cli = new("cli");

    /// <summary><c>cairn erase --org ORG --player RAW_ID</c>.</summary>
    public static async Task<int> EraseAsync(Args args, CancellationToken cancellationToken)
    {
        var org = args.RequiredOption("org");
        var player = args.RequiredOption("player");
        var (data, storeOption) = (args.Option("data"), args.Option("store"));
        args.RejectUnknown();
        var context = await OpenAsync(data, storeOption, cancellationToken);
        await using var store = context.Store;
        var counts = await Erasure.EraseAsync(store.Privacy, context.Keyring, org, player, cancellationToken);
        if (await PlayerState.Cache.OfflineCache.ForgetAsync(Offline.Configuration(data, storeOption), context.Keyring.Candidates(org, player)) is { } warning)
        {
            Console.Error.WriteLine("cairn: " + warning);
        }
        await new Audit(store.Privacy, TimeProvider.System).RecordAsync(Cli, "player.erase", "cli", $"org {org}: {counts.Total} rows removed", cancellationToken);
        if (counts.Total == 0)
        {
            // The raw id is not repeated: console output may end up in logs.
            Console.Error.WriteLine($"cairn: player not found: the store has no data of that player id in org '{org}' (check --org, the id's spelling, and --data or --store); nothing erased");
            return 1;
        }
        Console.WriteLine($"erased: {counts.Total} rows (" +
            string.Join(", ", counts.Tables.Where(t => t.Value > 0).OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"{t.Key} {t.Value}")) + ")");
        return 0;
    }

    /// <summary><c>cairn purge [--now TIME]</c>: applies the retention settings once.</summary>
    public static async Task<int> PurgeAsync(Args args, CancellationToken cancellationToken)
    {
        var (data, storeOption) = (args.Option("data"), args.Option("store"));
        var nowText = args.Option("now");
        args.RejectUnknown();
        var now = DateTimeOffset.UtcNow;
        if (nowText is not null && !DateTimeOffset.TryParse(nowText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out now))
        {
            throw new UsageException("--now takes a date-time such as 2030-01-01T00:00:00Z");
        }
        var options = Offline.Configuration(data, storeOption).GetSection(RetentionOptions.SectionName).Get<RetentionOptions>() ?? new RetentionOptions();
        await using var store = await CairnConfiguration.OpenStoreAsync(Offline.Storage(data, storeOption), cancellationToken);
        long total = 0;
        foreach (var (rule, deleted) in await Retention.PurgeAsync(store.Privacy, options, now, cancellationToken))
        {
            total += deleted;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{rule.PrivacyLevel,-10} older than {rule.OlderThan:yyyy-MM-dd} ({rule.OrgId ?? "all other orgs"}): {deleted} deleted"));
        }
        Console.WriteLine($"purged {total} events");
        return 0;
    }

    /// <summary><c>cairn export events|progress|projections [--org ORG] [--group G] [--since T] [--until T] [--format csv|json] [--names] [--out FILE]</c>.</summary>
    public static async Task<int> ExportAsync(Args args, CancellationToken cancellationToken)
    {
        var kind = args.Positional.Count >= 2 ? args.Positional[1] : null;
        if (kind is not ("events" or "progress" or "projections"))
        {
            throw new UsageException("expected 'cairn export events', 'cairn export progress' or 'cairn export projections'");
        }
        var (data, storeOption) = (args.Option("data"), args.Option("store"));
        var org = args.Option("org");
        var group = args.Option("group");
        var format = args.Option("format") ?? (kind == "projections" ? Exporter.Json : Exporter.Csv);
        var output = args.Option("out");
        var names = args.Flag("names");
        DateTimeOffset? since = null, until = null;
        if (args.Option("since") is { } s)
        {
            since = DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        }
        if (args.Option("until") is { } u)
        {
            until = DateTimeOffset.Parse(u, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        }
        args.RejectUnknown();
        if (format is not (Exporter.Csv or Exporter.Json))
        {
            throw new UsageException("--format takes csv or json");
        }
        if (kind == "projections" && format != Exporter.Json)
        {
            throw new UsageException("the projections export is JSON only (its tables have different columns)");
        }
        await using var store = await CairnConfiguration.OpenStoreAsync(Offline.Storage(data, storeOption), cancellationToken);
        var (found, ambiguous) = await ExportScope.ResolveAsync(Cli, group, org, store.Groups, new Scopes(store.Groups, store.Directory), cancellationToken);
        var scope = found ?? throw new UsageException(ambiguous is null ? $"no group '{group}'" : $"several orgs have a group '{group}': give --org");
        var filter = new ExportFilter(scope.OrgId, scope.PlayerKeys, scope.Game, since, until);
        await using var stream = output is null ? Console.OpenStandardOutput() : File.Create(output);
        var exporter = new Exporter(store);
        var rows = kind switch
        {
            "events" => await exporter.WriteEventsAsync(stream, format, filter, names, scope.Allows, cancellationToken),
            "progress" => await exporter.WriteProgressAsync(stream, format, filter, names, scope.Allows, cancellationToken),
            _ => await exporter.WriteProjectionRowsAsync(stream, filter, names, scope.Allows, cancellationToken),
        };
        await new Audit(store.Privacy, TimeProvider.System).RecordAsync(Cli, $"export.{kind}", "cli", $"{scope.Describe}{(names ? ", with names" : "")}: {rows} rows", cancellationToken);
        Console.Error.WriteLine($"exported {rows} {kind} rows{(output is null ? "" : " to " + output)}");
        return 0;
    }

    /// <summary><c>cairn rekey</c>: after a pepper rotation, moves every player's data to the current pepper version.</summary>
    public static async Task<int> RekeyAsync(Args args, CancellationToken cancellationToken)
    {
        var (data, storeOption) = (args.Option("data"), args.Option("store"));
        args.RejectUnknown();
        var context = await OpenAsync(data, storeOption, cancellationToken);
        await using var store = context.Store;
        var prefix = $"p{context.Keyring.Current.Version}_";
        long players = 0, rows = 0;
        var moved = new List<string>();
        while (await store.Directory.ListPlayersNotKeyedWithAsync(prefix, 500, cancellationToken) is { Count: > 0 } batch)
        {
            foreach (var player in batch)
            {
                var newKey = context.Keyring.Current.Compute(player.OrgId, player.RawPlayerId);
                rows += await store.Privacy.RekeyPlayerAsync(player.PlayerKey, newKey, cancellationToken);
                moved.Add(player.PlayerKey);
                moved.Add(newKey);
                players++;
            }
            if (await PlayerState.Cache.OfflineCache.ForgetAsync(Offline.Configuration(data, storeOption), moved) is { } warning)
            {
                Console.Error.WriteLine("cairn: " + warning);
            }
            moved.Clear();
            Console.Error.WriteLine($"rekey: {players} players moved so far");
        }
        await new Audit(store.Privacy, TimeProvider.System).RecordAsync(Cli, "pepper.rekey", "cli", $"{players} players moved to version {context.Keyring.Current.Version}", cancellationToken);
        Console.WriteLine($"rekeyed {players} players ({rows} rows) to pepper version {context.Keyring.Current.Version}; " +
            "progress of merged players is recomputed by the workers");
        return 0;
    }
}
