namespace Cairn.Schemas;

/// <summary>The schema registry's settings (section <c>Schemas</c>).</summary>
internal sealed class SchemaOptions
{
    public const string SectionName = "Schemas";

    /// <summary>
    /// The directory of <c>{game}/{eventType}/{major}.{minor}.{patch}.json</c> files. Default: <c>schemas</c> beside the
    /// catalogs directory the server uses (so <c>./schemas</c> next to <c>./catalogs</c>).
    /// </summary>
    public string? Directory { get; set; }

    /// <summary>
    /// Whether the default registry (the typed properties of seed 001 for the learning categories' event types,
    /// <see cref="TaxonomySchemas"/>) checks and coerces events of games without a schema of their own for that type. Default: true.
    /// </summary>
    public bool Taxonomy { get; set; } = true;

    /// <summary>The directory for a catalogs directory when <see cref="Directory"/> is not set.</summary>
    public static string DefaultFor(string catalogsDirectory) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(catalogsDirectory).TrimEnd(Path.DirectorySeparatorChar)) ?? ".", "schemas");
}
