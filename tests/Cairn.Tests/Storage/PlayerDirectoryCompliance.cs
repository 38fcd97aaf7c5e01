using Cairn.Storage;

namespace Cairn.Tests.Storage;

/// <summary>
/// The player directory contract (<see cref="IPlayerDirectory"/>): who it knows, names, consent and opt-outs, keys of an
/// older pepper.
/// Every store runs all of it: a subclass only says which store (<see cref="StoreMaker"/>).
/// </summary>
public abstract class PlayerDirectoryCompliance : StoreFacts
{
    private protected PlayerDirectoryCompliance(StoreMaker maker)
        : base(maker)
    {
    }

    [SkippableFact]
    public async Task An_event_alone_does_not_put_its_player_in_the_directory()
    {
        await WriteEventsAsync(Event("e-1"));

        var exists = await Store.Directory.PlayerExistsAsync(Ada, None);

        Assert.False(exists);
    }

    [SkippableFact]
    public async Task Issue_10_SetConsent_creates_or_updates_a_players_row_and_under_13_without_parental_consent_keeps_no_name()
    {
        await Store.Groups.UpsertGroupAsync(new GroupRecord("g-1", Org, "Class", Game, []), None);
        await Store.Groups.ReplaceMembersAsync("g-1", Org, [new(Org, Ben, "ben@school.example")], ["Ben Brown"], lockNames: false, None);

        await Store.Directory.SetConsentAsync(new ConsentRecord(Org, Ada, "ada@school.example", "granted", Under13: false, ParentalConsent: false), None);
        await Store.Directory.SetConsentAsync(new ConsentRecord(Org, Ben, "ben@school.example", "granted", Under13: true, ParentalConsent: true), None);
        var withParentalConsent = await Store.Directory.GetPlayerAsync(Ben, None);
        await Store.Directory.SetConsentAsync(new ConsentRecord(Org, Ben, "ben@school.example", "unknown", Under13: true, ParentalConsent: false), None);

        Assert.Equal(new PlayerInfo(Ada, Org, "ada@school.example", null, "granted", false, false), await Store.Directory.GetPlayerAsync(Ada, None));
        Assert.Equal(new PlayerInfo(Ben, Org, "ben@school.example", "Ben Brown", "granted", true, true), withParentalConsent);
        Assert.Equal(new PlayerInfo(Ben, Org, "ben@school.example", null, "unknown", true, false), await Store.Directory.GetPlayerAsync(Ben, None));
        Assert.Null(await Store.Directory.GetPlayerAsync(Cy, None));
    }

    [SkippableFact]
    public async Task Issue_10_ListOptedOut_lists_the_players_of_every_org_whose_consent_is_opted_out()
    {
        var empty = await Store.Directory.ListOptedOutAsync(None);
        await Store.Directory.SetConsentAsync(new ConsentRecord(Org, Ada, "ada@school.example", "opted-out", false, false), None);
        await Store.Directory.SetConsentAsync(new ConsentRecord(Org, Ben, "ben@school.example", "granted", false, false), None);
        await Store.Directory.SetConsentAsync(new ConsentRecord(OtherOrg, Cy, "cy@other.example", "opted-out", true, true), None);

        var both = await Store.Directory.ListOptedOutAsync(None);
        await Store.Directory.SetConsentAsync(new ConsentRecord(Org, Ada, "ada@school.example", "granted", false, false), None);
        var one = await Store.Directory.ListOptedOutAsync(None);

        Assert.Empty(empty);
        Assert.Equal(
            [new PlayerInfo(Ada, Org, "ada@school.example", null, "opted-out", false, false), new PlayerInfo(Cy, OtherOrg, "cy@other.example", null, "opted-out", true, true)],
            both.OrderBy(p => p.PlayerKey, StringComparer.Ordinal));
        Assert.Equal([Cy], one.Select(p => p.PlayerKey));
    }

    [SkippableFact]
    public async Task Issue_10_ListPlayersNotKeyedWith_lists_rows_of_another_key_prefix_by_key_up_to_the_limit()
    {
        string[] keys = ["p2_bb", "p1_cc", "p2_aa", "p1_aa", "p1_bb"];
        await Store.Events.WriteAsync([new WriteBatch([], [], [.. keys.Select(k => new DirectoryEntry(Org, k, "raw-" + k))])], None);

        var two = await Store.Directory.ListPlayersNotKeyedWithAsync("p2_", 2, None);
        var all = await Store.Directory.ListPlayersNotKeyedWithAsync("p2_", 10, None);
        var newer = await Store.Directory.ListPlayersNotKeyedWithAsync("p1_", 10, None);
        var none = await Store.Directory.ListPlayersNotKeyedWithAsync("p", 10, None);

        Assert.Equal(["p1_aa", "p1_bb"], two.Select(p => p.PlayerKey));
        Assert.Equal(["p1_aa", "p1_bb", "p1_cc"], all.Select(p => p.PlayerKey));
        Assert.Equal(["p2_aa", "p2_bb"], newer.Select(p => p.PlayerKey));
        Assert.Equal(new PlayerInfo("p1_aa", Org, "raw-p1_aa", null, "unknown", false, false), all[0]);
        Assert.Empty(none);
    }
}
