namespace Cairn.Groups;

/// <summary>
/// Per-org settings, from configuration: <c>Orgs:{orgId}:AutoCreateClasses</c> (e.g. the environment variable
/// <c>CAIRN_Orgs__district-7__AutoCreateClasses=false</c>). Org ids are matched exactly.
/// </summary>
internal sealed class OrgsOptions
{
    public const string SectionName = "Orgs";

    public Dictionary<string, OrgSettings> Orgs { get; } = new(StringComparer.Ordinal);

    public OrgSettings For(string orgId) => Orgs.TryGetValue(orgId, out var settings) ? settings : Default;

    private static readonly OrgSettings Default = new();
}
