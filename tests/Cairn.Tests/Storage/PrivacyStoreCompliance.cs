using Cairn.Storage;

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
}
