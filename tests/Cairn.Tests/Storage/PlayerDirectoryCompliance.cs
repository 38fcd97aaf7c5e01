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
}
