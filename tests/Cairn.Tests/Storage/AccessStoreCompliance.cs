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

    [SkippableFact]
    public async Task Issue_10_ListApiKeys_lists_every_orgs_keys_or_one_orgs_oldest_first_with_their_scope()
    {
        await Store.Access.CreateApiKeyAsync(new ApiKeyRecord("key-3", "hash-3", Org, Game, T0.AddMinutes(2), null, "teacher", ["t-1", "t-2"]), None);
        await Store.Access.CreateApiKeyAsync(new ApiKeyRecord("key-1", "hash-1", Org, Game, T0, null), None);
        await Store.Access.CreateApiKeyAsync(new ApiKeyRecord("key-2", "hash-2", OtherOrg, OtherGame, T0.AddMinutes(1), null, "student", null, Ben), None);

        var all = await Store.Access.ListApiKeysAsync(null, None);
        var org = await Store.Access.ListApiKeysAsync(Org, None);
        var none = await Store.Access.ListApiKeysAsync("org-none", None);

        Assert.Equal(["key-1", "key-2", "key-3"], all.Select(k => k.Id));
        Assert.Equal(["key-1", "key-3"], org.Select(k => k.Id));
        Assert.Equal(("hash-1", Org, Game, T0, null, null, null), (all[0].KeyHash, all[0].OrgId, all[0].Game, all[0].CreatedAt, all[0].RevokedAt, all[0].Role, all[0].PlayerKey));
        Assert.Null(all[0].Teachers);
        Assert.Equal(("student", Ben, OtherOrg, OtherGame), (all[1].Role, all[1].PlayerKey, all[1].OrgId, all[1].Game));
        Assert.Equal("teacher", all[2].Role);
        Assert.Equal(["t-1", "t-2"], all[2].Teachers!);
        Assert.Empty(none);
    }

    [SkippableFact]
    public async Task Issue_10_RevokeApiKey_revokes_a_live_key_once_and_the_key_is_still_found_with_its_revocation()
    {
        await Store.Access.CreateApiKeyAsync(new ApiKeyRecord("key-1", "hash-1", Org, Game, T0, null), None);
        await Store.Access.CreateApiKeyAsync(new ApiKeyRecord("key-2", "hash-2", Org, Game, T0, null), None);
        var at = T0.AddHours(1).AddTicks(50);

        var first = await Store.Access.RevokeApiKeyAsync("key-1", at, None);
        var again = await Store.Access.RevokeApiKeyAsync("key-1", at.AddHours(1), None);
        var unknown = await Store.Access.RevokeApiKeyAsync("key-none", at, None);

        Assert.Equal((true, false, false), (first, again, unknown));
        Assert.Equal(at, (await Store.Access.FindApiKeyAsync("hash-1", None))!.RevokedAt);
        Assert.Null((await Store.Access.FindApiKeyAsync("hash-2", None))!.RevokedAt);
        Assert.Equal([at, null], (await Store.Access.ListApiKeysAsync(Org, None)).Select(k => k.RevokedAt));
    }
}
