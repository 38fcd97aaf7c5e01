namespace Cairn.Storage;

/// <summary>Credentials: API keys and read tokens (hashes only), and browser sessions shared by every server on the store.</summary>
internal interface IAccessStore
{
    Task CreateApiKeyAsync(ApiKeyRecord key, CancellationToken cancellationToken);

    Task<ApiKeyRecord?> FindApiKeyAsync(string keyHash, CancellationToken cancellationToken);

    Task<IReadOnlyList<ApiKeyRecord>> ListApiKeysAsync(string? orgId, CancellationToken cancellationToken);

    /// <summary>Marks a key revoked; false when there is no such live key.</summary>
    Task<bool> RevokeApiKeyAsync(string id, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Stores a new session and deletes expired ones.</summary>
    Task CreateSessionAsync(SessionRecord session, DateTimeOffset now, CancellationToken cancellationToken);

    Task<SessionRecord?> FindSessionAsync(string idHash, CancellationToken cancellationToken);

    Task DeleteSessionAsync(string idHash, CancellationToken cancellationToken);
}
