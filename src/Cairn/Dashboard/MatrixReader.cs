using Cairn.Progress.Storage;
using Cairn.Catalogs;
using Cairn.Storage;

namespace Cairn.Dashboard;

/// <summary>Reads the matrix of a group from materialized rows only (never from raw events).</summary>
internal sealed class MatrixReader(IGroupStore groups, IProgressStore progress, CatalogRegistry catalogs)
{
    public async Task<Matrix> ReadAsync(GroupRecord group, CancellationToken cancellationToken)
    {
        // The cursor is taken first: a change racing this read is then sent again, never missed.
        var cursor = await progress.GetLatestChangeAsync(cancellationToken);
        var catalog = catalogs.Current.For(group.Game);
        var points = catalog?.Points ?? [];
        var members = await groups.GetMembersAsync(group.OrgId, group.Id, cancellationToken);
        var rows = await progress.GetGroupProgressAsync(group, cancellationToken);

        var players = members
            .Select(m => new MatrixPlayer(m.PlayerKey, LabelOf(m)))
            .OrderBy(p => p.DisplayName, StringComparer.OrdinalIgnoreCase).ThenBy(p => p.PlayerKey, StringComparer.Ordinal)
            .ToList();
        var playerIndex = players.Select((p, i) => (p.PlayerKey, i)).ToDictionary(x => x.PlayerKey, x => x.i, StringComparer.Ordinal);
        var pointIndex = points.Select((p, i) => (p.Id, i)).ToDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);
        var cells = players.Select(_ => Enumerable.Repeat(MatrixCell.White, points.Count).ToArray()).ToArray();
        foreach (var row in rows)
        {
            if (playerIndex.TryGetValue(row.PlayerKey, out var p) && pointIndex.TryGetValue(row.PointId, out var q))
            {
                cells[p][q] = new MatrixCell(row.Status, row.Score, row.CompletionTime, row.StartedAt);
            }
        }
        var units = (catalog?.Units ?? [])
            .Select(u => new MatrixUnit(u.Id, u.Title, points.Count(p => p.Unit == u.Id)))
            .ToList();
        return new Matrix(
            new MatrixGroup(group.Id, group.Name, group.Game, group.OrgId), units,
            points.Select(p => new MatrixPoint(p.Id, p.Unit, p.Title)).ToList(),
            players, cells, Cursor.Encode(cursor, 0));
    }

    /// <summary>
    /// How the matrix, the drill-down and the pages name a member: a child under 13 without parental consent by a neutral
    /// label stable within the class ("Student 7", their seat), never by a name or raw id; anyone else by display name, else raw id.
    /// </summary>
    public static string LabelOf(GroupMember member) =>
        member.Nameless ? $"Student {member.Seat.ToString(System.Globalization.CultureInfo.InvariantCulture)}" : member.DisplayName ?? member.RawPlayerId;

    /// <summary>Cells changed after the cursor (latest state of each), and the cursor to ask from next.</summary>
    public async Task<(IReadOnlyList<(long Seq, CellUpdate Cell)> Changes, long Last)> ChangesAsync(
        GroupRecord group, long after, int limit, CancellationToken cancellationToken)
    {
        var changes = await progress.GetGroupChangesAsync(group, after, limit, cancellationToken);
        var catalog = catalogs.Current.For(group.Game);
        var result = changes
            .Where(c => catalog is null || catalog.PointsById.ContainsKey(c.PointId))
            .Select(c => (c.Seq, new CellUpdate(c.PlayerKey, c.PointId, c.Status ?? "white", c.Score, c.CompletedAt, c.StartedAt)))
            .ToList();
        return (result, changes.Count > 0 ? changes[^1].Seq : after);
    }
}
