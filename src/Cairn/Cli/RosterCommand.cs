using Cairn.Access;
using Cairn.Hosting;
using Cairn.Identity;
using Cairn.Import;
using Cairn.Storage;

namespace Cairn.Cli;

/// <summary>
/// <c>cairn roster import FILE.csv --org ORG [--game GAME]</c>: columns group, playerId, displayName, and optionally
/// teacher, consent, under13, parentalConsent, declinedCategories (taxonomy categories separated by ';'). Each group's roster becomes exactly the file's rows for it (so a
/// re-import changes nothing); a group that does not exist yet in the org is created for --game. Group ids are per org.
/// </summary>
internal static class RosterCommand
{
    private static readonly string[] Required = ["group", "playerId", "displayName"];

    private static readonly Caller.Admin Cli = new("cli");

    public static async Task<int> RunAsync(Args args, CancellationToken cancellationToken)
    {
        if (args.Positional.Count != 3 || args.Positional[1] != "import")
        {
            throw new UsageException("expected 'cairn roster import FILE.csv --org ORG [--game GAME]'");
        }
        var file = args.Positional[2];
        var org = args.RequiredOption("org");
        var game = args.Option("game");
        var (data, storeOption) = (args.Option("data"), args.Option("store"));
        args.RejectUnknown();
        if (!File.Exists(file))
        {
            throw new ImportException($"file '{file}' does not exist");
        }

        var rows = ReadRows(file);
        var identity = Offline.Identity(data);
        var storage = Offline.Storage(data, storeOption);
        var (pepper, _) = PepperSource.Resolve(identity, storage.DataDirectory, production: false);
        var keys = new PlayerKeys(pepper, identity.PepperVersion);
        await using var store = await CairnConfiguration.OpenStoreAsync(storage, cancellationToken);

        foreach (var (groupId, members) in rows.GroupBy(r => r.Group).Select(g => (g.Key, g.ToList())))
        {
            var existing = await store.Groups.GetGroupAsync(org, groupId, cancellationToken);
            var teachers = (existing?.Teachers ?? []).Concat(members.Select(m => m.Teacher).OfType<string>()).Distinct(StringComparer.Ordinal).ToList();
            var group = existing is null
                ? new GroupRecord(groupId, org, groupId, game ?? throw new UsageException($"group '{groupId}' does not exist: give --game to create it"), teachers)
                : existing with { Teachers = teachers };
            await store.Groups.UpsertGroupAsync(group, cancellationToken);
            var entries = members.Select(m => new DirectoryEntry(org, keys.Compute(org, m.PlayerId), m.PlayerId)).ToList();
            var names = members.Select(m => m.Under13 && !m.ParentalConsent ? null : m.DisplayName).ToList();
            // The operator sets consent like an org admin: names given here are kept against teacher-admins' rosters.
            var change = await store.Groups.ReplaceMembersAsync(group.Id, org, entries, names, lockNames: true, cancellationToken);
            for (var i = 0; i < members.Count; i++)
            {
                if (members[i].HasConsentColumns)
                {
                    await store.Directory.SetConsentAsync(new ConsentRecord(org, entries[i].PlayerKey, entries[i].RawPlayerId,
                        members[i].Consent, members[i].Under13, members[i].ParentalConsent), cancellationToken);
                }
                if (members[i].Declined is { } declined)
                {
                    // The player's declined categories become exactly the listed ones (a running server picks them up
                    // within Access:OptOutRefreshSeconds).
                    var categories = store.Projection<Consent.Storage.IConsentCategoryStore>(Consent.ConsentCategoryProjection.Name);
                    var choices = (await categories.GetAsync(org, entries[i].PlayerKey, cancellationToken)).Keys
                        .Concat(declined).Distinct(StringComparer.Ordinal).ToDictionary(c => c, c => !declined.Contains(c), StringComparer.Ordinal);
                    await categories.SetAsync(org, entries[i].PlayerKey, choices, DateTimeOffset.UtcNow, cancellationToken);
                }
            }
            await new Audit(store.Privacy, TimeProvider.System).RecordAsync(Cli, "roster.replace", "cli", Audit.RosterDetail(group, entries.Count, change, 0), cancellationToken);
            Console.WriteLine($"{(existing is null ? "created" : "updated")} group {groupId}: {members.Count} members, teachers {string.Join(", ", teachers)}");
        }
        Console.WriteLine($"roster import: {rows.Count} rows, {rows.Select(r => r.Group).Distinct().Count()} groups");
        return 0;
    }

    private sealed record Row(string Group, string PlayerId, string? DisplayName, string? Teacher, string Consent, bool Under13, bool ParentalConsent, bool HasConsentColumns)
    {
        /// <summary>The categories the player declines, when the file has a <c>declinedCategories</c> column.</summary>
        public IReadOnlyList<string>? Declined { get; init; }
    }

    private static List<Row> ReadRows(string file)
    {
        using var text = new StreamReader(file);
        var reader = new DelimitedReader(text, ',');
        var header = reader.ReadRecord()?.Select(h => h.Trim()).ToList() ?? throw new ImportException($"{file} is empty (no header row)");
        foreach (var column in Required.Where(c => !header.Contains(c)))
        {
            throw new ImportException($"{file}: missing column '{column}' (expected: group, playerId, displayName; optional: teacher, consent, under13, parentalConsent, declinedCategories)");
        }
        string? Cell(List<string> record, string name) =>
            header.IndexOf(name) is var i and >= 0 && i < record.Count && record[i].Trim().Length > 0 ? record[i].Trim() : null;
        var hasConsent = header.Contains("consent") || header.Contains("under13") || header.Contains("parentalConsent");
        var rows = new List<Row>();
        var line = 1;
        while (reader.ReadRecord() is { } record)
        {
            line++;
            if (record.All(string.IsNullOrWhiteSpace))
            {
                continue;
            }
            var group = Cell(record, "group");
            var player = Cell(record, "playerId");
            if (group is null || !AdminApi.Identifier().IsMatch(group) || player is null || player.Length > 256)
            {
                throw new ImportException($"{file}:{line}: needs a group id (letters, digits, '_', '.', '-') and a playerId");
            }
            var consent = Cell(record, "consent") ?? Consents.Unknown;
            if (consent is not (Consents.Granted or Consents.OptedOut or Consents.Unknown))
            {
                throw new ImportException($"{file}:{line}: consent must be granted, opted-out or unknown");
            }
            IReadOnlyList<string>? declined = null;
            if (header.Contains("declinedCategories"))
            {
                declined = [.. (Cell(record, "declinedCategories") ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
                if (Consent.ConsentCategories.Check(declined.ToDictionary(c => c, _ => false, StringComparer.Ordinal)) is { } unknown)
                {
                    throw new ImportException($"{file}:{line}: declinedCategories: {unknown}");
                }
            }
            rows.Add(new Row(group, player, Cell(record, "displayName"), Cell(record, "teacher"), consent,
                Flag(Cell(record, "under13")), Flag(Cell(record, "parentalConsent")), hasConsent) { Declined = declined });
        }
        if (rows.GroupBy(r => (r.Group, r.PlayerId.ToLowerInvariant())).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new ImportException($"{file}: player '{twice.Key.Item2}' is listed twice in group '{twice.Key.Group}'");
        }
        return rows;
    }

    private static bool Flag(string? value) => value is not null && (value.Equals("true", StringComparison.OrdinalIgnoreCase) || value is "1" || value.Equals("yes", StringComparison.OrdinalIgnoreCase));
}
