using System.Collections.Concurrent;
using System.Collections.Frozen;
using Cairn.Ingest.Sampling;

namespace Cairn.Consent;

/// <summary>
/// The event categories each player declined, held in memory so ingest drops their events without reading the store
/// (like <see cref="Access.OptOuts"/>): loaded at start by <see cref="ConsentCategorySync"/>, changed at once by the
/// consent API and rosters of this process, refreshed for changes made by another process.
/// </summary>
internal sealed class ConsentCategories
{
    /// <summary>The metrics reason of an event dropped because its category was declined.</summary>
    public const string Reason = "consent_category";

    private ConcurrentDictionary<string, FrozenSet<string>> _declined = new(StringComparer.Ordinal);
    private volatile bool _loaded;

    public bool IsLoaded => _loaded;

    /// <summary>Whether the player declined the category of this event type (an event type of no category is never dropped here).</summary>
    public bool Declines(string playerKey, string eventType) =>
        !_declined.IsEmpty && _declined.TryGetValue(playerKey, out var categories)
        && Taxonomy.CategoryOf(eventType) is { } category && categories.Contains(category);

    /// <summary>Sets the player's declined categories from their recorded choices.</summary>
    public void Set(string playerKey, IReadOnlyDictionary<string, bool> choices)
    {
        var declined = choices.Where(c => !c.Value).Select(c => c.Key).ToFrozenSet(StringComparer.Ordinal);
        if (declined.Count == 0)
        {
            _declined.TryRemove(playerKey, out _);
        }
        else
        {
            _declined[playerKey] = declined;
        }
    }

    public void Forget(string playerKey) => _declined.TryRemove(playerKey, out _);

    public void Replace(IEnumerable<(string PlayerKey, string Category)> declined)
    {
        var next = new ConcurrentDictionary<string, FrozenSet<string>>(
            declined.GroupBy(d => d.PlayerKey, StringComparer.Ordinal)
                .Select(g => KeyValuePair.Create(g.Key, g.Select(d => d.Category).Distinct(StringComparer.Ordinal).ToFrozenSet(StringComparer.Ordinal))),
            StringComparer.Ordinal);
        Volatile.Write(ref _declined, next);
        _loaded = true;
    }

    /// <summary>Loads the declined categories once (what <c>cairn import</c> uses; a server keeps them fresh with <see cref="ConsentCategorySync"/>).</summary>
    public static async Task<ConsentCategories> LoadAsync(Storage.IConsentCategoryStore store, Identity.PlayerKeys current, CancellationToken cancellationToken)
    {
        var categories = new ConsentCategories();
        categories.Replace(Expand(await store.ListDeclinedAsync(cancellationToken), current));
        return categories;
    }

    /// <summary>Each declined category under its stored key and, when the raw id is known, its current key (a pepper rotation may be under way).</summary>
    internal static IEnumerable<(string PlayerKey, string Category)> Expand(IEnumerable<Storage.DeclinedCategory> declined, Identity.PlayerKeys keys) =>
        declined.SelectMany(d => string.IsNullOrWhiteSpace(d.RawPlayerId)
            ? [(d.PlayerKey, d.Category)]
            : new[] { (d.PlayerKey, d.Category), (keys.Compute(d.OrgId, d.RawPlayerId), d.Category) });

    /// <summary>
    /// Checks a request's <c>categories</c>: every name must be a category of the taxonomy. Null when it is fine, else the problem's message.
    /// </summary>
    public static string? Check(IReadOnlyDictionary<string, bool>? categories, string where = "")
    {
        if (categories is null)
        {
            return null;
        }
        foreach (var name in categories.Keys)
        {
            if (!Taxonomy.Categories.ContainsKey(name))
            {
                return $"{where}'categories': unknown category '{(name.Length > 64 ? name[..64] + "…" : name)}' (known: {string.Join(", ", Taxonomy.Categories.Keys.Order(StringComparer.Ordinal))}).";
            }
        }
        return null;
    }
}
