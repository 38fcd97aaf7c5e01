using Cairn.Storage;

namespace Cairn.Access;

/// <summary>
/// The group a request names, resolved within the caller's org: the group, or nothing (404: another org's group is
/// simply unknown), or, for the admin token only, several orgs' groups of that id (400: name the org with <c>?org=</c>).
/// </summary>
internal sealed record GroupLookup(GroupRecord? Group, bool Ambiguous = false)
{
    public static readonly GroupLookup None = new((GroupRecord?)null);

    public string AmbiguousDetail(string groupId) =>
        $"Several orgs have a group '{groupId}': name the one you mean with ?org=.";
}
