namespace Cairn.Catalogs;

/// <summary>
/// Holds the catalogs of a directory and reloads them. A file that fails to load never replaces the
/// version that worked: its game keeps the old catalog, and the error is reported.
/// </summary>
internal sealed class CatalogRegistry(string directory, ILogger<CatalogRegistry> logger, Observability.CairnMetrics? metrics = null)
{
    private readonly Lock _reloading = new();
    private volatile CatalogSet _current = CatalogSet.Empty;

    public string Directory { get; } = Path.GetFullPath(directory);

    public CatalogSet Current => _current;

    /// <summary>Raised after a reload swapped in a new set (old, new).</summary>
    public event Action<CatalogSet, CatalogSet>? Reloaded;

    public CatalogReload Reload()
    {
        lock (_reloading)
        {
            var old = _current;
            var games = new Dictionary<string, GameCatalog>(StringComparer.Ordinal);
            var errors = new List<string>();
            foreach (var file in CatalogLoader.Files(Directory))
            {
                try
                {
                    var catalog = CatalogLoader.Load(file, File.ReadAllText(file));
                    if (games.TryGetValue(catalog.Game, out var other))
                    {
                        errors.Add($"{file}: game '{catalog.Game}' is already defined by {other.File}; ignored");
                        continue;
                    }
                    games[catalog.Game] = catalog;
                }
                catch (Exception ex) when (ex is CatalogException or IOException or UnauthorizedAccessException)
                {
                    foreach (var message in ex is CatalogException catalogError ? catalogError.Errors.Select(e => e.Message) : [ex.Message])
                    {
                        errors.Add(message);
                        Log.CatalogRejected(logger, message);
                    }
                    // Keep the working version of the game this file held before, if any.
                    foreach (var kept in old.Games.Values.Where(g => g.File == file && !games.ContainsKey(g.Game)))
                    {
                        games[kept.Game] = kept;
                    }
                }
            }
            var next = new CatalogSet(games.Values);
            _current = next;
            Log.CatalogsLoaded(logger, next.Games.Count, next.Games.Values.Sum(g => g.Points.Count), Directory);
            metrics?.CatalogReload(errors.Count == 0);
            Reloaded?.Invoke(old, next);
            return new CatalogReload([.. next.Games.Keys.Order(StringComparer.Ordinal)], errors);
        }
    }
}
