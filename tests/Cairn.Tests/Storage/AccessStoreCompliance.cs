using Cairn.Storage;

namespace Cairn.Tests.Storage;

/// <summary>
/// The access contract (<see cref="IAccessStore"/>): API keys (hashes only) and browser sessions.
/// Every store runs all of it: a subclass only says which store (<see cref="StoreMaker"/>).
/// </summary>
public abstract class AccessStoreCompliance : StoreFacts
{
    private protected AccessStoreCompliance(StoreMaker maker)
        : base(maker)
    {
    }

    [SkippableFact]
    public async Task An_api_key_is_found_by_its_hash()
    {
        var createdAt = T0.AddTicks(70);
        await Store.Access.CreateApiKeyAsync(new ApiKeyRecord("key-1", "hash-1", Org, Game, createdAt, null), None);
        await Store.Access.CreateApiKeyAsync(new ApiKeyRecord("key-2", "hash-2", OtherOrg, OtherGame, T0, null), None);

        var found = await Store.Access.FindApiKeyAsync("hash-1", None);
        var missing = await Store.Access.FindApiKeyAsync("hash-3", None);

        Assert.Equal(new ApiKeyRecord("key-1", "hash-1", Org, Game, createdAt, null), found);
        Assert.Null(missing);
    }

    [SkippableFact]
    public async Task Sessions_are_found_by_id_hash_until_deleted_and_expired_ones_are_cleared_on_create()
    {
        var live = new SessionRecord("id-1", "token-1", "csrf-1", Now.AddHours(1));
        var old = new SessionRecord("id-0", "token-0", "csrf-0", Now.AddMinutes(-1));
        await Store.Access.CreateSessionAsync(old, Now.AddHours(-1), None);

        await Store.Access.CreateSessionAsync(live, Now, None);
        var found = await Store.Access.FindSessionAsync("id-1", None);
        var expired = await Store.Access.FindSessionAsync("id-0", None);
        await Store.Access.DeleteSessionAsync("id-1", None);

        Assert.Equal(live, found);
        Assert.Null(expired);
        Assert.Null(await Store.Access.FindSessionAsync("id-1", None));
    }
}
