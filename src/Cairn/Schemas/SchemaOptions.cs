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

    /// <summary>The directory for a catalogs directory when <see cref="Directory"/> is not set.</summary>
    public static string DefaultFor(string catalogsDirectory) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(catalogsDirectory).TrimEnd(Path.DirectorySeparatorChar)) ?? ".", "schemas");
}
