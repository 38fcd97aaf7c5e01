using Cairn.Catalogs;
using Cairn.Dashboard;
using Cairn.Mastery.Storage;
using Cairn.Storage;

namespace Cairn.Mastery;

/// <summary>Reads a class's mastery matrix from the materialized mastery rows and their change log only (never from raw events).</summary>
internal sealed class MasteryMatrixReader(IGroupStore groups, IMasteryStore mastery, CatalogRegistry catalogs)
{
    public async Task<MasteryMatrix> ReadAsync(GroupRecord group, CancellationToken cancellationToken)
    {
        // The cursor is taken first: a change racing this read is then sent again, never missed.
        var cursor = await mastery.GetLatestChangeAsync(cancellationToken);
        var settings = SettingsOf(group.Game);
        var members = await groups.GetMembersAsync(group.OrgId, group.Id, cancellationToken);
        var rows = await mastery.GetGroupMasteryAsync(group, cancellationToken);

        var players = members
            .Select(m => new MasteryMatrix.MasteryStudent(m.PlayerKey, MatrixReader.LabelOf(m)))
            .OrderBy(p => p.DisplayName, StringComparer.OrdinalIgnoreCase).ThenBy(p => p.PlayerKey, StringComparer.Ordinal)
            .ToList();
        // Columns: every standard the catalog declares and every standard a student of the class has a row of, by id.
        var standards = settings.Standards.Keys.Concat(rows.Select(r => r.StandardId)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select(id => new MasteryMatrix.MasteryStandard(id, settings.NameOf(id)))
            .ToList();
        var playerIndex = players.Select((p, i) => (p.PlayerKey, i)).ToDictionary(x => x.PlayerKey, x => x.i, StringComparer.Ordinal);
        var standardIndex = standards.Select((s, i) => (s.Id, i)).ToDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);
        var cells = players.Select(_ => Enumerable.Repeat(MasteryMatrix.MasteryCell.NotStarted, standards.Count).ToArray()).ToArray();
        foreach (var row in rows)
        {
            if (playerIndex.TryGetValue(row.PlayerKey, out var p) && standardIndex.TryGetValue(row.StandardId, out var s))
            {
                cells[p][s] = new MasteryMatrix.MasteryCell(row.Level, row.PMastery, row.Observations, row.LastAt);
            }
        }
        return new MasteryMatrix(new MasteryMatrix.MasteryClass(group.Id, group.Name, group.Game, group.OrgId), standards, players, cells, Cursor.Encode(cursor, 0));
    }

    /// <summary>Cells changed after the cursor (the latest state of each), and the cursor to ask from next.</summary>
    public async Task<(IReadOnlyList<(long Seq, MasteryMatrix.MasteryCellUpdate MasteryCell)> Changes, long Last)> ChangesAsync(
        GroupRecord group, long after, int limit, CancellationToken cancellationToken)
    {
        var changes = await mastery.GetGroupChangesAsync(group, after, limit, cancellationToken);
        var result = changes
            .Select(c => (c.Seq, new MasteryMatrix.MasteryCellUpdate(c.PlayerKey, c.StandardId, c.Level ?? MasteryLevels.NotStarted, c.PMastery, c.Observations, c.LastAt)))
            .ToList();
        return (result, changes.Count > 0 ? changes[^1].Seq : after);
    }

    private MasterySettings SettingsOf(string game) => catalogs.Current.For(game)?.Mastery ?? MasterySettings.Default;
}
