using System.Collections.Concurrent;

namespace Cairn.Ingest;

/// <summary>
/// Figures of this process since it started that the ingest answer must not reveal: an ingest key ships inside game
/// clients, so an opted-out player's event is answered like an accepted one and counted only here (admin-only).
/// </summary>
internal sealed class IngestCounters
{
    private readonly ConcurrentDictionary<string, long> _optedOutByOrg = new(StringComparer.Ordinal);

    public void OptedOut(string orgId, int count)
    {
        if (count > 0)
        {
            _optedOutByOrg.AddOrUpdate(orgId, count, (_, n) => n + count);
        }
    }

    public IReadOnlyDictionary<string, long> OptedOutByOrg() =>
        new SortedDictionary<string, long>(_optedOutByOrg, StringComparer.Ordinal);
}
