namespace Cairn.PlaySessions;

/// <summary>
/// One play session of a player in a game (not a sign-in session: those are <c>Storage.SessionRecord</c>).
/// Platform, build and country are the first the session's events carry.
/// </summary>
internal sealed record PlaySession(
    DateTimeOffset Start, DateTimeOffset End, string EndedBy, int Events, IReadOnlyDictionary<string, int> Categories,
    string? Platform, string? Build, string? Country)
{
    public double DurationSeconds => (End - Start).TotalSeconds;
}
