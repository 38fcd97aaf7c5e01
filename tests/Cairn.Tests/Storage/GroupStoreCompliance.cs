using Cairn.Storage;

namespace Cairn.Tests.Storage;

/// <summary>
/// The group contract (<see cref="IGroupStore"/>): groups keyed per org, their teachers and their rosters.
/// Every store runs all of it: a subclass only says which store (<see cref="StoreMaker"/>).
/// </summary>
public abstract class GroupStoreCompliance : StoreFacts
{
    private protected GroupStoreCompliance(StoreMaker maker)
        : base(maker)
    {
    }

    [SkippableFact]
    public async Task UpsertGroup_creates_a_group_then_updates_its_name_and_teachers()
    {
        var created = await Store.Groups.UpsertGroupAsync(new GroupRecord("g-1", Org, "Class 7B", Game, ["t-2", "t-1"]), None);
        var afterCreate = await Store.Groups.GetGroupAsync(Org, "g-1", None);

        var updated = await Store.Groups.UpsertGroupAsync(new GroupRecord("g-1", Org, "Class 7B (new)", Game, ["t-3"]), None);
        var afterUpdate = await Store.Groups.GetGroupAsync(Org, "g-1", None);
        var emptied = await Store.Groups.UpsertGroupAsync(new GroupRecord("g-1", Org, "Class 7B (new)", Game, []), None);
        var afterEmptied = await Store.Groups.GetGroupAsync(Org, "g-1", None);

        Assert.True(created);
        Assert.Equal(("g-1", Org, "Class 7B", Game), (afterCreate!.Id, afterCreate.OrgId, afterCreate.Name, afterCreate.Game));
        Assert.Equal(["t-1", "t-2"], afterCreate.Teachers.Order(StringComparer.Ordinal));
        Assert.True(updated);
        Assert.Equal("Class 7B (new)", afterUpdate!.Name);
        Assert.Equal(["t-3"], afterUpdate.Teachers);
        Assert.True(emptied);
        Assert.Empty(afterEmptied!.Teachers);
        Assert.Null(await Store.Groups.GetGroupAsync(Org, "g-none", None));
    }

    [SkippableFact]
    public async Task Issue_7_group_ids_are_unique_per_org_and_a_group_keeps_its_game()
    {
        await Store.Groups.UpsertGroupAsync(new GroupRecord("g-1", Org, "Class 7B", Game, ["t-1"]), None);
        await Store.Groups.ReplaceMembersAsync("g-1", Org, [new(Org, Ada, "ada@school.example")], [null], lockNames: false, None);

        var otherOrg = await Store.Groups.UpsertGroupAsync(new GroupRecord("g-1", OtherOrg, "Theirs", OtherGame, ["t-9"]), None);
        await Store.Groups.ReplaceMembersAsync("g-1", OtherOrg, [new(OtherOrg, Ben, "ben@other.example")], [null], lockNames: false, None);
        var otherGame = await Store.Groups.UpsertGroupAsync(new GroupRecord("g-1", Org, "Taken", OtherGame, ["t-9"]), None);

        Assert.True(otherOrg);
        Assert.False(otherGame);
        var ours = await Store.Groups.GetGroupAsync(Org, "g-1", None);
        var theirs = await Store.Groups.GetGroupAsync(OtherOrg, "g-1", None);
        Assert.Equal(("Class 7B", Org, Game), (ours!.Name, ours.OrgId, ours.Game));
        Assert.Equal(["t-1"], ours.Teachers);
        Assert.Equal(("Theirs", OtherOrg, OtherGame), (theirs!.Name, theirs.OrgId, theirs.Game));
        Assert.Equal(["t-9"], theirs.Teachers);
        Assert.Equal([Ada], (await Store.Groups.GetMembersAsync(Org, "g-1", None)).Select(m => m.PlayerKey));
        Assert.Equal([Ben], (await Store.Groups.GetMembersAsync(OtherOrg, "g-1", None)).Select(m => m.PlayerKey));
        Assert.Equal([Org, OtherOrg], (await Store.Groups.FindGroupsAsync("g-1", None)).Select(g => g.OrgId).Order(StringComparer.Ordinal));
        Assert.Equal(Org, Assert.Single(await Store.Groups.GetGroupsOfPlayerAsync(Ada, None)).OrgId);
    }

    [SkippableFact]
    public async Task Issue_7_ReplaceMembers_keeps_seats_reports_who_joined_and_left_and_keeps_an_org_admins_name()
    {
        await Store.Groups.UpsertGroupAsync(new GroupRecord("g-1", Org, "Class", Game, []), None);

        var first = await Store.Groups.ReplaceMembersAsync("g-1", Org,
            [new(Org, Ada, "ada@school.example"), new(Org, Ben, "ben@school.example")], ["Ada (office)", null], lockNames: true, None);
        var second = await Store.Groups.ReplaceMembersAsync("g-1", Org,
            [new(Org, Ben, "ben@school.example"), new(Org, Cy, "cy@school.example"), new(Org, Ada, "ada@school.example")],
            ["Ben (teacher)", "Cy", "Ada (teacher)"], lockNames: false, None);
        var third = await Store.Groups.ReplaceMembersAsync("g-1", Org, [new(Org, Cy, "cy@school.example")], ["Cy (office)"], lockNames: true, None);
        var fourth = await Store.Groups.ReplaceMembersAsync("g-1", Org, [new(Org, Cy, "cy@school.example")], ["Cy (teacher)"], lockNames: false, None);

        Assert.Equal([Ada, Ben], first.Added);
        Assert.Empty(first.Removed);
        Assert.Equal([Cy], second.Added);
        Assert.Empty(second.Removed);
        Assert.Empty(third.Added);
        Assert.Equal(new[] { Ada, Ben }.Order(StringComparer.Ordinal), third.Removed);
        Assert.Empty(fourth.Added);
        Assert.Empty(fourth.Removed);
        Assert.Equal("Ada (office)", (await Store.Directory.GetPlayerAsync(Ada, None))!.DisplayName);
        Assert.Equal("Ben (teacher)", (await Store.Directory.GetPlayerAsync(Ben, None))!.DisplayName);
        var cy = Assert.Single(await Store.Groups.GetMembersAsync(Org, "g-1", None));
        Assert.Equal(("Cy (office)", 3), (cy.DisplayName, cy.Seat));
    }

    [SkippableFact]
    public async Task ListGroups_lists_every_orgs_groups_or_one_orgs_by_name()
    {
        await Store.Groups.UpsertGroupAsync(new GroupRecord("g-1", Org, "Class B", Game, ["t-1", "t-2"]), None);
        await Store.Groups.UpsertGroupAsync(new GroupRecord("g-2", Org, "Class A", Game, []), None);
        await Store.Groups.UpsertGroupAsync(new GroupRecord("g-3", OtherOrg, "Class C", OtherGame, ["t-3"]), None);

        var all = await Store.Groups.ListGroupsAsync(null, None);
        var org = await Store.Groups.ListGroupsAsync(Org, None);
        var none = await Store.Groups.ListGroupsAsync("org-none", None);

        Assert.Equal(["g-2", "g-1", "g-3"], all.Select(g => g.Id));
        Assert.Equal(["g-2", "g-1"], org.Select(g => g.Id));
        Assert.Equal(["t-1", "t-2"], org[1].Teachers.Order(StringComparer.Ordinal));
        Assert.Empty(org[0].Teachers);
        Assert.Equal((OtherOrg, "Class C", OtherGame), (all[2].OrgId, all[2].Name, all[2].Game));
        Assert.Empty(none);
    }

    [SkippableFact]
    public async Task ReplaceMembers_replaces_the_roster_and_keeps_raw_ids_and_names_in_the_directory()
    {
        await Store.Groups.UpsertGroupAsync(new GroupRecord("g-1", Org, "Class", Game, []), None);
        await Store.Events.WriteAsync([new WriteBatch([], [], [new DirectoryEntry(Org, Cy, "cy@school.example")])], None);

        await Store.Groups.ReplaceMembersAsync("g-1", Org,
            [new(Org, Ada, "ada@school.example"), new(Org, Ben, "ben@school.example"), new(Org, Cy, "cy@school.example")],
            ["Ada Adams", null, "Cy Cole"], lockNames: false, None);
        var first = await Store.Groups.GetMembersAsync(Org, "g-1", None);
        await Store.Groups.ReplaceMembersAsync("g-1", Org, [new(Org, Cy, "cy@school.example"), new(Org, Ben, "ben@school.example")], [null, "Ben Brown"], lockNames: false, None);
        var second = await Store.Groups.GetMembersAsync(Org, "g-1", None);

        Assert.Equal(
            [new GroupMember(Ada, "ada@school.example", "Ada Adams", 1), new GroupMember(Ben, "ben@school.example", null, 2), new GroupMember(Cy, "cy@school.example", "Cy Cole", 3)],
            first.OrderBy(m => m.PlayerKey, StringComparer.Ordinal));
        Assert.Equal(
            [new GroupMember(Ben, "ben@school.example", "Ben Brown", 2), new GroupMember(Cy, "cy@school.example", "Cy Cole", 3)],
            second.OrderBy(m => m.PlayerKey, StringComparer.Ordinal));
        Assert.True(await Store.Directory.PlayerExistsAsync(Ada, None));
        Assert.True(await Store.Directory.PlayerExistsAsync(Ben, None));
        Assert.Empty(await Store.Groups.GetMembersAsync(Org, "g-none", None));
    }

    [SkippableFact]
    public async Task GetMembers_orders_by_display_name_or_raw_id_then_player_key()
    {
        await Store.Groups.UpsertGroupAsync(new GroupRecord("g-1", Org, "Class", Game, []), None);

        await Store.Groups.ReplaceMembersAsync("g-1", Org,
            [new(Org, "pk-4", "dan@school.example"), new(Org, "pk-3", "zed@school.example"), new(Org, "pk-2", "x-2"), new(Org, "pk-1", "x-1"), new(Org, "pk-0", "bea@school.example")],
            ["carl", "ann", "dora", "dora", null], lockNames: false, None);
        var members = await Store.Groups.GetMembersAsync(Org, "g-1", None);

        Assert.Equal(["pk-3", "pk-0", "pk-4", "pk-1", "pk-2"], members.Select(m => m.PlayerKey));
    }

    [SkippableFact]
    public async Task Issue_12_JoinClasses_creates_a_missing_class_once_and_seats_each_student_once_under_concurrent_batches()
    {
        var students = Enumerable.Range(0, 12).Select(i => $"pk-s{i:D2}").ToList();
        await Store.Events.WriteAsync([new WriteBatch([], [], [.. students.Select(s => new DirectoryEntry(Org, s, s + "@school.example"))])], None);

        // Two batches at once name the same new class and overlap in half their students; then one repeats.
        var first = Store.Groups.JoinClassesAsync(Org, Game, [.. students.Take(8).Select(s => ("lms-7b", s))], createMissing: true, None);
        var second = Store.Groups.JoinClassesAsync(Org, Game, [.. students.Skip(4).Select(s => ("lms-7b", s))], createMissing: true, None);
        var missing = await Task.WhenAll(first, second);
        var again = await Store.Groups.JoinClassesAsync(Org, Game, [("lms-7b", students[0]), ("lms-7b", students[11])], createMissing: true, None);

        Assert.All(missing, Assert.Empty);
        Assert.Empty(again);
        var group = await Store.Groups.GetGroupAsync(Org, "lms-7b", None);
        Assert.Equal(("lms-7b", "lms-7b", Game), (group!.Id, group.Name, group.Game));
        Assert.Empty(group.Teachers);
        Assert.Single(await Store.Groups.FindGroupsAsync("lms-7b", None));
        var members = await Store.Groups.GetMembersAsync(Org, "lms-7b", None);
        Assert.Equal(students, members.Select(m => m.PlayerKey).Order(StringComparer.Ordinal));
        Assert.Equal(Enumerable.Range(1, 12), members.Select(m => m.Seat).Order());
    }

    [SkippableFact]
    public async Task Issue_12_JoinClasses_without_creation_reports_unknown_classes_and_still_joins_existing_ones()
    {
        await Store.Events.WriteAsync([new WriteBatch([], [], [new DirectoryEntry(Org, Ada, "ada@school.example"), new DirectoryEntry(Org, Ben, "ben@school.example")])], None);
        var existing = await GroupWithAsync(Ben);
        await Store.Groups.UpsertGroupAsync(new GroupRecord("lms-other-org", OtherOrg, "Theirs", Game, []), None);

        var missing = await Store.Groups.JoinClassesAsync(Org, Game,
            [("lms-unknown", Ada), (existing.Id, Ada), ("lms-other-org", Ada)], createMissing: false, None);

        Assert.Equal(["lms-other-org", "lms-unknown"], missing.Order(StringComparer.Ordinal));
        Assert.Null(await Store.Groups.GetGroupAsync(Org, "lms-unknown", None));
        Assert.Null(await Store.Groups.GetGroupAsync(Org, "lms-other-org", None));
        var members = await Store.Groups.GetMembersAsync(Org, existing.Id, None);
        Assert.Equal([(Ben, 1), (Ada, 2)], members.Select(m => (m.PlayerKey, m.Seat)).OrderBy(m => m.Seat));
        Assert.Empty(await Store.Groups.GetMembersAsync(OtherOrg, "lms-other-org", None));
    }
}
