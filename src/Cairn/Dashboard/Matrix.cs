namespace Cairn.Dashboard;

/// <summary>The class progress matrix in one response: players × points, a cell for each, and a cursor for changes.</summary>
internal sealed record Matrix(
    MatrixGroup Group,
    IReadOnlyList<MatrixUnit> Units,
    IReadOnlyList<MatrixPoint> Points,
    IReadOnlyList<MatrixPlayer> Players,
    IReadOnlyList<IReadOnlyList<MatrixCell>> Cells,
    string Cursor);

internal sealed record MatrixGroup(string Id, string Name, string Game, string OrgId);

internal sealed record MatrixUnit(string Id, string? Title, int Points);

internal sealed record MatrixPoint(string Id, string? Unit, string? Title);

internal sealed record MatrixPlayer(string PlayerKey, string DisplayName);

/// <summary>One cell: white (no row), started (not completed yet), yellow or green, with the score, completion and start times of a row.</summary>
internal sealed record MatrixCell(string Status, double? Score = null, DateTimeOffset? CompletedAt = null, DateTimeOffset? StartedAt = null)
{
    public static readonly MatrixCell White = new("white");

    /// <summary>Completed: green or yellow.</summary>
    public bool IsDone => Status is Storage.ProgressStatus.Green or Storage.ProgressStatus.Yellow;
}

/// <summary>A changed cell, for "changes since" and the live stream.</summary>
internal sealed record CellUpdate(string PlayerKey, string PointId, string Status, double? Score, DateTimeOffset? CompletedAt, DateTimeOffset? StartedAt = null);

internal sealed record MatrixChanges(IReadOnlyList<CellUpdate> Cells, string Cursor);
