namespace Cairn.Catalogs;

/// <summary>Event types every game understands, whatever its catalog says.</summary>
internal static class BuiltInEvents
{
    /// <summary><c>ProgressPointCompleted {pointId}</c> (also <c>progressPointId</c>): completes a point explicitly.</summary>
    public const string Completed = "ProgressPointCompleted";

    /// <summary><c>ProgressReset {pointIds: [...]}</c> or <c>{fromPointId}</c>: a teacher's reset of points for a player.</summary>
    public const string Reset = "ProgressReset";
}
