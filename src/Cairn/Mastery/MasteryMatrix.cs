namespace Cairn.Mastery;

/// <summary>
/// The class mastery matrix in one response: the class's students × standards, a cell for each (level and pMastery), and
/// a cursor for the changes since (<c>?since=</c>, the live stream).
/// </summary>
internal sealed record MasteryMatrix(
    MasteryMatrix.MasteryClass Group,
    IReadOnlyList<MasteryMatrix.MasteryStandard> Standards,
    IReadOnlyList<MasteryMatrix.MasteryStudent> Players,
    IReadOnlyList<IReadOnlyList<MasteryMatrix.MasteryCell>> Cells,
    string Cursor)
{
    internal sealed record MasteryClass(string Id, string Name, string Game, string OrgId);

    /// <param name="Name">The standard's name in the game's catalog (<c>mastery.standards.ID.name</c>), or null.</param>
    internal sealed record MasteryStandard(string Id, string? Name);

    internal sealed record MasteryStudent(string PlayerKey, string DisplayName);

    /// <summary>One cell: "not started" without a row (pMastery null), else the row's level, pMastery, answers and latest answer time.</summary>
    internal sealed record MasteryCell(string Level, double? PMastery, int Observations, DateTimeOffset? LastAt)
    {
        public static readonly MasteryCell NotStarted = new(MasteryLevels.NotStarted, null, 0, null);
    }

    /// <summary>A changed cell, for <c>?since=</c> and the stream; a removed row comes back as "not started".</summary>
    internal sealed record MasteryCellUpdate(string PlayerKey, string StandardId, string Level, double? PMastery, int Observations, DateTimeOffset? LastAt);

    internal sealed record MasteryChanges(IReadOnlyList<MasteryCellUpdate> Cells, string Cursor);
}
