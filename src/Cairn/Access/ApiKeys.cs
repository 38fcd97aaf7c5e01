using System.Collections.Concurrent;
using Cairn.Storage;

namespace Cairn.Access;

/// <summary>Creates ingest keys and recognizes them. Known keys are cached so ingest never reads the store per request.</summary>
internal sealed class ApiKeys(IEventStore store, AdminToken adminToken)
{
    public const string IngestKeyPrefix = "cik_";

    private readonly ConcurrentDictionary<string, ApiKeyRecord> _byHash = new(StringComparer.Ordinal);

    /// <summary>Creates a key for one org and game. The returned secret is shown once and never stored.</summary>
    public async Task<(ApiKeyRecord Record, string Secret)> CreateIngestKeyAsync(string orgId, string game, CancellationToken cancellationToken)
    {
        var secret = SecretHash.NewSecret(IngestKeyPrefix);
        var record = new ApiKeyRecord(
            Id: "key_" + Guid.NewGuid().ToString("N")[..12],
            KeyHash: SecretHash.Of(secret),
            OrgId: orgId,
            Game: game,
            CreatedAt: DateTimeOffset.UtcNow,
            RevokedAt: null);
        await store.CreateApiKeyAsync(record, cancellationToken);
        _byHash[record.KeyHash] = record;
        return (record, secret);
    }

    /// <summary>Who a bearer token belongs to, or null when it is no known, live key or token.</summary>
    public async ValueTask<Caller?> IdentifyAsync(string token, CancellationToken cancellationToken)
    {
        if (adminToken.Matches(token))
        {
            return new Caller.Admin();
        }
        if (!token.StartsWith(IngestKeyPrefix, StringComparison.Ordinal) || token.Length > 128)
        {
            return null;
        }
        var hash = SecretHash.Of(token);
        if (!_byHash.TryGetValue(hash, out var record))
        {
            record = await store.FindApiKeyAsync(hash, cancellationToken);
            if (record is null)
            {
                return null;
            }
            _byHash[hash] = record;
        }
        return record.RevokedAt is null ? new Caller.IngestKey(record.Id, record.OrgId, record.Game) : null;
    }
}
