using Cairn.Storage;
using Cairn.Tests.Support;

namespace Cairn.Tests.Storage;

/// <summary>
/// The privacy contract (<see cref="IPrivacyStore"/>): the audit log, erasure, retention, export of a player's rows
/// and rekeying, over every table of <see cref="PlayerData"/>.
/// Every store runs all of it: a subclass only says which store (<see cref="StoreMaker"/>).
/// </summary>
public abstract class PrivacyStoreCompliance : StoreFacts
{
    private protected PrivacyStoreCompliance(StoreMaker maker)
        : base(maker)
    {
    }

    [SkippableFact]
    public async Task Rekey_moves_a_players_quarantined_events_and_the_key_quoted_in_their_payload()
    {
        const string NewKey = "p2_ada";
        await Store.Events.WriteAsync([new WriteBatch(
            [Event("e-1")],
            [new RejectedRecord(Org, Game, "bad-1", Ada, $$"""{"eventId":"bad-1","playerKey":"{{Ada}}"}""", """[{"path":"timestamp","code":"required","message":"missing"}]""")],
            [new DirectoryEntry(Org, Ada, "ada@school.example")])], None);

        await Store.Privacy.RekeyPlayerAsync(Ada, NewKey, None);

        var rejected = Assert.Single((await Store.Events.ListRejectedAsync(null, 10, null, None)).Items);
        Assert.Equal((NewKey, $$"""{"eventId":"bad-1","playerKey":"{{NewKey}}"}"""), (rejected.PlayerKey, rejected.Raw));
    }

    [SkippableFact]
    public async Task Issue_10_ListAudit_returns_appended_entries_newest_first_up_to_the_limit()
    {
        var empty = await Store.Privacy.ListAuditAsync(10, None);
        var at = T0.AddTicks(120);
        for (var i = 0; i < 3; i++)
        {
            await Store.Privacy.AppendAuditAsync(new AuditEntry(at.AddMinutes(i), $"key-{i}", "roster.replace", "org-a/g-1", $"added {Ada}"), None);
        }

        var two = await Store.Privacy.ListAuditAsync(2, None);
        var all = await Store.Privacy.ListAuditAsync(10, None);

        Assert.Empty(empty);
        Assert.Equal(["key-2", "key-1"], two.Select(e => e.Actor));
        Assert.Equal(
            [new AuditEntry(at.AddMinutes(2), "key-2", "roster.replace", "org-a/g-1", $"added {Ada}"),
             new AuditEntry(at.AddMinutes(1), "key-1", "roster.replace", "org-a/g-1", $"added {Ada}"),
             new AuditEntry(at, "key-0", "roster.replace", "org-a/g-1", $"added {Ada}")],
            all);
    }

    [SkippableFact]
    public async Task Issue_10_ErasePlayer_removes_the_player_of_the_org_from_every_table_and_counts_rows_per_table()
    {
        var group = await GroupWithAsync(Ada, Ben);
        await MaterializeAsync(Row(Ada, "P1"));
        await MaterializeAsync(Row(Ben, "P1"));
        await WriteEventsAsync(Event("e-dead", points: ["P9"]));
        await Store.Jobs.FailJobAsync(Assert.Single(await ClaimAsync("w")), "w", "boom", null, Now, None);
        await WriteEventsAsync(Event("e-1", points: ["P2"]), Event("e-other-org", org: OtherOrg));
        await Store.Events.WriteAsync([new WriteBatch([], [new RejectedRecord(Org, Game, "bad-1", Ada, "{}", "[]"), Rejected("bad-2")], [])], None);
        await Store.Access.CreateApiKeyAsync(new ApiKeyRecord("key-ada", "hash-ada", Org, Game, T0, null, "student", null, Ada), None);
        await Store.Privacy.AppendAuditAsync(new AuditEntry(T0, "key-admin", "roster.replace", $"{Org}/{group.Id}", $"added {Ada},{Ben}"), None);

        var erased = await Store.Privacy.ErasePlayerAsync(Org, Ada, None);

        // Every other projection's table is reached too (and holds nothing of Ada here).
        var expected = Store.PlayerData.ProjectionTables.ToDictionary(t => t.Name, _ => 0L, StringComparer.Ordinal);
        foreach (var (table, rows) in new Dictionary<string, long>
        {
            ["events"] = 3, ["rejected_events"] = 1, ["players"] = 1, ["api_keys"] = 1, ["jobs"] = 1, ["dead_jobs"] = 1,
            ["group_members"] = 1, ["audit_log"] = 1, ["progress_points"] = 1, ["progress_changes"] = 1,
        })
        {
            expected[table] = rows;
        }
        Assert.Equal(
            expected.OrderBy(t => t.Key, StringComparer.Ordinal),
            erased.Tables.OrderBy(t => t.Key, StringComparer.Ordinal));
        Assert.Equal(Store.PlayerData.AllTables.Concat(PlayerData.CoreTextTables).Order(StringComparer.Ordinal), erased.Tables.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["e-other-org"], (await TimelineAsync(Ada)).Select(e => e.EventId));
        Assert.False(await Store.Directory.PlayerExistsAsync(Ada, None));
        Assert.Empty(await Store.Progress().GetPlayerProgressAsync(Ada, null, None));
        Assert.Equal([Ben], (await Store.Groups.GetMembersAsync(Org, group.Id, None)).Select(m => m.PlayerKey));
        Assert.Equal(["bad-2"], (await Store.Events.ListRejectedAsync(null, 10, null, None)).Items.Select(r => r.EventId));
        // Only the class's rollup job (no player) is left: it recomputes the class without Ada.
        Assert.Equal(new JobCounts(0, 0, 0), await CountJobsExceptRollupsAsync());
        var key = await Store.Access.FindApiKeyAsync("hash-ada", None);
        Assert.NotNull(key!.RevokedAt);
        Assert.Null(key.PlayerKey);
        Assert.Equal($"added erased,{Ben}", Assert.Single(await Store.Privacy.ListAuditAsync(10, None)).Detail);
        Assert.Single(await Store.Progress().GetPlayerProgressAsync(Ben, null, None));
        Assert.True(await Store.Directory.PlayerExistsAsync(Ben, None));
        Assert.Equal(0, (await Store.Privacy.ErasePlayerAsync(Org, Ada, None)).Total);
    }

    [SkippableFact]
    public async Task Issue_10_Purge_deletes_events_of_a_level_older_than_the_cutoff_and_projection_rows_kept_with_an_older_time()
    {
        var group = await GroupWithAsync(Ada);
        // Its trigger event is one more standard event of the org at T0.
        await MaterializeAsync(Row(Ada, "P1"));
        await WriteEventsAsync(
            Event("old-1", at: T0), Event("old-2", at: T0.AddMinutes(59)), Event("young", at: T0.AddHours(1)),
            Event("old-sensitive", at: T0) with { PrivacyLevel = "sensitive" },
            Event("old-other-org", org: OtherOrg, at: T0), Event("old-third-org", org: "org-c", at: T0));

        var ofOrg = await Store.Privacy.PurgeAsync(new PurgeRule(Org, "standard", T0.AddHours(1), []), None);
        var ofTheRest = await Store.Privacy.PurgeAsync(new PurgeRule(null, "standard", T0.AddHours(1), ["org-c"]), None);
        var changesBefore = await Store.Progress().GetGroupChangesAsync(group, 0, 100, None);
        var noEvents = await Store.Privacy.PurgeAsync(new PurgeRule(Org, "no-such-level", DateTimeOffset.UtcNow.AddDays(2), []), None);

        Assert.Equal((3L, 1L, 0L), (ofOrg, ofTheRest, noEvents));
        Assert.Equal(["old-sensitive", "young"], (await Store.Events.ExportEventsAsync(new ExportFilter(Org, null, null, null, null), None).ToListAsync()).Select(e => e.EventId));
        Assert.Equal(["old-third-org"], (await Store.Events.ExportEventsAsync(new ExportFilter("org-c", null, null, null, null), None).ToListAsync()).Select(e => e.EventId));
        Assert.Empty(await Store.Events.ExportEventsAsync(new ExportFilter(OtherOrg, null, null, null, null), None).ToListAsync());
        Assert.Single(changesBefore);
        Assert.Empty(await Store.Progress().GetGroupChangesAsync(group, 0, 100, None));
        Assert.Equal([Row(Ada, "P1")], await Store.Progress().GetPlayerProgressAsync(Ada, null, None));
    }

    [SkippableFact]
    public async Task Issue_10_ExportPlayerData_returns_the_given_players_progress_points_rows_of_the_org_and_not_the_change_log()
    {
        await MaterializeAsync(Row(Ada, "P1"));
        await MaterializeAsync(Row(Ada, "P2", status: "yellow", score: null));
        await MaterializeAsync(Row(Ben, "P1", score: 7));
        await MaterializeAsync(Row(Cy, "P1"));
        await MaterializeAsync(Row(Ada, "P3", org: OtherOrg));

        var rows = await Store.Privacy.ExportPlayerDataAsync(Org, [Ada, Ben], None).ToListAsync();
        var none = await Store.Privacy.ExportPlayerDataAsync(Org, ["pk-nobody"], None).ToListAsync();

        Assert.All(rows, r => Assert.Equal("progress_points", r.Table));
        Assert.Equal(
            [(Org, Ada, "P1", "green", 42.0), (Org, Ada, "P2", "yellow", null), (Org, Ben, "P1", "green", 7.0)],
            rows.Select(r => (r.Row.GetProperty("org_id").GetString(), r.Row.GetProperty("player_key").GetString(), r.Row.GetProperty("point_id").GetString(),
                r.Row.GetProperty("status").GetString(), r.Row.GetProperty("score").ValueKind == System.Text.Json.JsonValueKind.Null ? (double?)null : r.Row.GetProperty("score").GetDouble()))
                .OrderBy(r => (r.Item2, r.Item3)));
        Assert.All(rows, r => Assert.Equal(("v1", "e-1", Game), (r.Row.GetProperty("score_version").GetString(), r.Row.GetProperty("trigger_event_id").GetString(), r.Row.GetProperty("game").GetString())));
        Assert.Empty(none);
    }

    [SkippableFact]
    public async Task Issue_10_Rekey_moves_a_players_events_and_progress_rows_keeps_the_new_keys_twin_and_queues_a_recompute_of_each_point()
    {
        const string NewKey = "p2_ada";
        await MaterializeAsync(Row(Ada, "P1", score: 1));
        await MaterializeAsync(Row(Ada, "P2"));
        await MaterializeAsync(Row(NewKey, "P1", score: 2));
        await MaterializeAsync(Row(Ben, "P1"));

        var moved = await Store.Privacy.RekeyPlayerAsync(Ada, NewKey, None);

        Assert.Empty(await TimelineAsync(Ada));
        Assert.Equal(3, (await TimelineAsync(NewKey)).Count);
        Assert.Empty(await Store.Progress().GetPlayerProgressAsync(Ada, null, None));
        Assert.Equal([Row(NewKey, "P1", score: 2), Row(Ada, "P2") with { PlayerKey = NewKey }], await Store.Progress().GetPlayerProgressAsync(NewKey, null, None));
        Assert.Equal([(NewKey, "P1"), (NewKey, "P2")], (await ClaimAsync("w", max: 100)).Select(j => (j.PlayerKey, j.Key)).Order());
        Assert.Single(await Store.Progress().GetPlayerProgressAsync(Ben, null, None));
        // Two events, the P2 row and the two changes logged for the old key; not the P1 row, whose twin stays.
        Assert.Equal(5, moved);
    }
}
