namespace Cairn.Dashboard;

/// <summary>What the class pages show besides the matrix: per student a summary, per point its typical time, the class's activity.</summary>
/// <param name="Students">Parallel to <see cref="Matrix.Players"/>.</param>
/// <param name="TypicalSeconds">Parallel to <see cref="Matrix.Points"/>: the class's median time on the point, else the green rule's bound.</param>
/// <param name="LastReceived">When the server last received an event of a member (real time), or null.</param>
/// <param name="Active">Whether the class is playing now: an event of a member arrived within <see cref="DashboardOptions.InactiveMinutes"/>.</param>
internal sealed record ClassView(
    Matrix Matrix, IReadOnlyList<StudentSummary> Students, IReadOnlyList<double?> TypicalSeconds, DateTimeOffset? LastReceived, bool Active)
{
    public int NeedingAttention => Students.Count(s => s.Reasons.Count > 0);

    public int Cells => Matrix.Players.Count * Matrix.Points.Count;

    public int Green => Students.Sum(s => s.Green);

    public int Yellow => Students.Sum(s => s.Yellow);
}
