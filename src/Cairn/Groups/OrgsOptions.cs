namespace Cairn.Groups;

/// <summary>
/// Per-org settings, from configuration: <c>Orgs:{orgId}:AutoCreateClasses</c>, set by <c>cairn orgs set</c> in the data
/// directory's <c>orgs.json</c> (read while the server runs), or e.g. the environment variable
/// <c>CAIRN_Orgs__district-7__AutoCreateClasses=false</c> at start. Org ids are matched exactly.
/// </summary>
internal sealed class OrgsOptions
{
    public const string SectionName = "Orgs";

    public Dictionary<string, OrgSettings> Orgs { get; } = new(StringComparer.Ordinal);

    public OrgSettings For(string orgId) => Orgs.TryGetValue(orgId, out var settings) ? settings : Default;

    private static readonly OrgSettings Default = new();

    /// <summary>The data directory's <c>orgs.json</c> (when the directory exists), reloaded on change; it wins over other sources.</summary>
    public static void AddSettingsFile(IConfigurationBuilder configuration, string dataDirectory)
    {
        if (Directory.Exists(dataDirectory))
        {
            configuration.AddJsonFile(new Microsoft.Extensions.FileProviders.PhysicalFileProvider(Path.GetFullPath(dataDirectory)),
                OrgSettingsFile.FileName, optional: true, reloadOnChange: true);
        }
    }
}
