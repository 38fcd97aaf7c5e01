using System.Collections.Concurrent;
using Cairn.Storage;

namespace Cairn.Access;

/// <summary>
/// Creates ingest keys and read tokens, recognizes them, and revokes them. Recognized keys are cached so
/// ingest does not read the store per request; a cached entry is re-read after <see cref="CacheFor"/>, so a
/// revocation made by another process takes effect within that time (at once in this process).
/// </summary>
internal sealed class ApiKeys(IAccessStore store, AdminToken adminToken, TimeProvider? time = null)
{
    public const string IngestKeyPrefix = "cik_";
    public const string ReadTokenPrefix = "crt_";
    public const string LrsKeyPrefix = "clk_";
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ConcurrentDictionary<string, (ApiKeyRecord Record, DateTimeOffset Until)> _byHash = new(StringComparer.Ordinal);

    /// <summary>Creates a key for one org and game. The returned secret is shown once and never stored.</summary>
    public Task<(ApiKeyRecord Record, string Secret)> CreateIngestKeyAsync(string orgId, string game, CancellationToken cancellationToken) =>
        CreateAsync(IngestKeyPrefix, orgId, game, role: null, teachers: null, playerKey: null, cancellationToken);

    /// <summary>Creates a read token with a role and a scope (teacher ids for teachers, a playerKey for a student).</summary>
    public Task<(ApiKeyRecord Record, string Secret)> CreateReadTokenAsync(
        string role, string orgId, IReadOnlyList<string>? teachers, string? playerKey, CancellationToken cancellationToken) =>
        CreateAsync(ReadTokenPrefix, orgId, "", role, teachers, playerKey, cancellationToken);

    /// <summary>Creates an LRS credential for one org and game: its id is the Basic user name, the secret the password.</summary>
    public Task<(ApiKeyRecord Record, string Secret)> CreateLrsKeyAsync(string orgId, string game, CancellationToken cancellationToken) =>
        CreateAsync(LrsKeyPrefix, orgId, game, Roles.Lrs, teachers: null, playerKey: null, cancellationToken);

    private async Task<(ApiKeyRecord Record, string Secret)> CreateAsync(
        string prefix, string orgId, string game, string? role, IReadOnlyList<string>? teachers, string? playerKey, CancellationToken cancellationToken)
    {
        var secret = SecretHash.NewSecret(prefix);
        var record = new ApiKeyRecord(
            Id: "key_" + Guid.NewGuid().ToString("N")[..12],
            KeyHash: SecretHash.Of(secret),
            OrgId: orgId,
            Game: game,
            CreatedAt: _time.GetUtcNow(),
            RevokedAt: null,
            Role: role,
            Teachers: teachers,
            PlayerKey: playerKey);
        await store.CreateApiKeyAsync(record, cancellationToken);
        _byHash[record.KeyHash] = (record, _time.GetUtcNow() + CacheFor);
        return (record, secret);
    }

    public async Task<bool> RevokeAsync(string id, CancellationToken cancellationToken)
    {
        var revoked = await store.RevokeApiKeyAsync(id, _time.GetUtcNow(), cancellationToken);
        foreach (var (hash, entry) in _byHash)
        {
            if (entry.Record.Id == id)
            {
                _byHash.TryRemove(hash, out _);
            }
        }
        return revoked;
    }

    /// <summary>Drops cached tokens of erased players, so they stop working here at once (the store has revoked them).</summary>
    public void ForgetPlayers(IReadOnlyCollection<string> playerKeys)
    {
        foreach (var (hash, entry) in _byHash)
        {
            if (entry.Record.PlayerKey is { } key && playerKeys.Contains(key))
            {
                _byHash.TryRemove(hash, out _);
            }
        }
    }

    /// <summary>Who a bearer token belongs to, or null when it is no known, live key or token.</summary>
    public ValueTask<Caller?> IdentifyAsync(string token, CancellationToken cancellationToken)
    {
        if (adminToken.Matches(token))
        {
            return ValueTask.FromResult<Caller?>(new Caller.Admin());
        }
        if (token.Length > 128 || !(token.StartsWith(IngestKeyPrefix, StringComparison.Ordinal) || token.StartsWith(ReadTokenPrefix, StringComparison.Ordinal)
            || token.StartsWith(LrsKeyPrefix, StringComparison.Ordinal)))
        {
            return ValueTask.FromResult<Caller?>(null);
        }
        return IdentifyHashAsync(SecretHash.Of(token), cancellationToken);
    }

    /// <summary>The same, from a token's hash (a browser session keeps only that).</summary>
    public async ValueTask<Caller?> IdentifyHashAsync(string hash, CancellationToken cancellationToken)
    {
        if (adminToken.MatchesHash(hash))
        {
            return new Caller.Admin();
        }
        var now = _time.GetUtcNow();
        ApiKeyRecord? record;
        if (_byHash.TryGetValue(hash, out var cached) && cached.Until > now)
        {
            record = cached.Record;
        }
        else
        {
            record = await store.FindApiKeyAsync(hash, cancellationToken);
            if (record is null)
            {
                _byHash.TryRemove(hash, out _);
                return null;
            }
            _byHash[hash] = (record, now + CacheFor);
        }
        if (record.RevokedAt is not null)
        {
            return null;
        }
        return record.Role switch
        {
            null => new Caller.IngestKey(record.Id, record.OrgId, record.Game),
            Roles.Admin => new Caller.Admin(record.Id),
            Roles.Lrs => new Caller.Lrs(record.Id, record.OrgId, record.Game),
            // A student token whose player was erased has no player left: it covers nothing.
            Roles.Student when record.PlayerKey is null => null,
            var role => new Caller.Reader(record.Id, role, record.OrgId, record.Teachers ?? [], record.PlayerKey),
        };
    }
}
