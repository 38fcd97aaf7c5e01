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

    /// <summary>
    /// The data directory's <c>orgs.json</c> (when the directory exists), reloaded on change; it wins over other sources.
    /// Returns the file provider, which the caller disposes when the server stops.
    /// </summary>
    /// <remarks>
    /// The provider polls (every few seconds) rather than holding an inotify instance: a configuration does not dispose a
    /// provider it was given, and an instance per server would count against the user's inotify limit (128 by default)
    /// shared with every other process.
    /// </remarks>
    public static IDisposable? AddSettingsFile(IConfigurationBuilder configuration, string dataDirectory)
    {
        if (!Directory.Exists(dataDirectory))
        {
            return null;
        }
        var provider = new Microsoft.Extensions.FileProviders.PhysicalFileProvider(Path.GetFullPath(dataDirectory))
        {
            UsePollingFileWatcher = true,
            UseActivePolling = true,
        };
        configuration.AddJsonFile(provider, OrgSettingsFile.FileName, optional: true, reloadOnChange: true);
        return provider;
    }
}
