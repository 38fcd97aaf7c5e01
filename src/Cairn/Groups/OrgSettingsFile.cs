using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cairn.Groups;

/// <summary>
/// <c>orgs.json</c> in the data directory: the org settings <c>cairn orgs set</c> writes (<c>{"Orgs": {"ORG":
/// {"AutoCreateClasses": false}}}</c>). A server whose data directory holds it reads it as configuration and picks up
/// every change while it runs.
/// </summary>
internal static class OrgSettingsFile
{
    public const string FileName = "orgs.json";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static string PathIn(string dataDirectory) => Path.Combine(dataDirectory, FileName);

    /// <summary>Sets one org's setting, keeping the others; written whole and then moved into place, so a reader never sees half a file.</summary>
    public static async Task SetAsync(string dataDirectory, string orgId, string setting, bool value, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(dataDirectory);
        var path = PathIn(dataDirectory);
        var root = File.Exists(path) ? JsonNode.Parse(await File.ReadAllTextAsync(path, cancellationToken)) as JsonObject : null;
        root ??= [];
        if (root[OrgsOptions.SectionName] is not JsonObject orgs)
        {
            root[OrgsOptions.SectionName] = orgs = [];
        }
        if (orgs[orgId] is not JsonObject org)
        {
            orgs[orgId] = org = [];
        }
        org[setting] = value;
        var temporary = path + ".tmp";
        await File.WriteAllTextAsync(temporary, root.ToJsonString(Indented), cancellationToken);
        File.Move(temporary, path, overwrite: true);
    }
}
