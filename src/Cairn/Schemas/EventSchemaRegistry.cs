namespace Cairn.Schemas;

/// <summary>
/// Holds the schemas of a directory and reloads them, as <see cref="Catalogs.CatalogRegistry"/> does catalogs: a file that fails
/// to load, or a minor or patch version not backward compatible with the previous version of its major, is refused with the
/// file and the reason, and the version of that file that worked before (if any) stays in force.
/// </summary>
/// <param name="taxonomy">Whether the default registry of seed 001's typed properties applies (<see cref="SchemaOptions.Taxonomy"/>).</param>
internal sealed class EventSchemaRegistry(string directory, ILogger<EventSchemaRegistry> logger, bool taxonomy = true)
{
    private readonly Lock _reloading = new();
    private volatile SchemaSet _current = new([], taxonomy ? TaxonomySchemas.ByEventType : null);

    public string Directory { get; } = Path.GetFullPath(directory);

    public SchemaSet Current => _current;

    public SchemaReload Reload()
    {
        lock (_reloading)
        {
            var old = _current;
            var (schemas, errors) = LoadDirectory(Directory, old);
            foreach (var error in errors)
            {
                Log.SchemaRejected(logger, error);
            }
            var next = new SchemaSet(schemas, taxonomy ? TaxonomySchemas.ByEventType : null);
            _current = next;
            Log.SchemasLoaded(logger, next.Count, next.EventTypes, Directory);
            return new SchemaReload(next.Count, errors);
        }
    }

    /// <summary>
    /// Loads and checks every file of a directory (also what <c>cairn schema check</c> runs). A refused file keeps its version
    /// of <paramref name="previous"/>, if it had one that is still compatible.
    /// </summary>
    public static (List<RegisteredSchema> Schemas, List<string> Errors) LoadDirectory(string directory, SchemaSet? previous = null)
    {
        var loaded = new List<RegisteredSchema>();
        var errors = new List<string>();
        var keptOld = new Dictionary<string, RegisteredSchema>(StringComparer.Ordinal);
        foreach (var old in previous?.All ?? [])
        {
            keptOld[old.File] = old;
        }
        foreach (var file in SchemaLoader.Files(directory))
        {
            try
            {
                loaded.Add(SchemaLoader.Load(directory, file));
            }
            catch (SchemaException ex)
            {
                errors.Add(ex.Message);
                if (keptOld.TryGetValue(file, out var kept))
                {
                    loaded.Add(kept);
                }
            }
        }
        var accepted = new List<RegisteredSchema>(loaded.Count);
        foreach (var line in loaded.GroupBy(s => (s.Game, s.EventType, s.Version.Major)))
        {
            RegisteredSchema? before = null;
            foreach (var schema in line.OrderBy(s => s.Version))
            {
                if (before is not null && SchemaCompatibility.Problems(before.Source, schema.Source) is [var first, ..] problems)
                {
                    var more = problems.Count > 1 ? $" (and {problems.Count - 1} more)" : "";
                    errors.Add($"{schema.File}: not backward compatible with {before.Version}: {first}{more}; a minor or patch version must accept "
                        + $"every event {before.Version} accepted (a breaking change is a new major, {schema.Version.Major + 1}.0.0)");
                    if (keptOld.TryGetValue(schema.File, out var kept) && !ReferenceEquals(kept, schema)
                        && SchemaCompatibility.Problems(before.Source, kept.Source).Count == 0)
                    {
                        accepted.Add(kept);
                        before = kept;
                    }
                    continue;
                }
                accepted.Add(schema);
                before = schema;
            }
        }
        return (accepted, errors);
    }
}
