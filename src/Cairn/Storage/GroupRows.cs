using System.Data.Common;

namespace Cairn.Storage;

/// <summary>Reads groups from rows of (id, org_id, name, game, teacher_id), one row per teacher, ordered by group (its id, then its org).</summary>
internal static class GroupRows
{
    public static async Task<IReadOnlyList<GroupRecord>> ReadAsync(DbDataReader reader, CancellationToken cancellationToken)
    {
        var groups = new List<GroupRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var (id, org) = (reader.GetString(0), reader.GetString(1));
            if (groups.Count == 0 || groups[^1].Id != id || groups[^1].OrgId != org)
            {
                groups.Add(new GroupRecord(id, org, reader.GetString(2), reader.GetString(3), new List<string>()));
            }
            if (!reader.IsDBNull(4))
            {
                ((List<string>)groups[^1].Teachers).Add(reader.GetString(4));
            }
        }
        return groups;
    }
}
