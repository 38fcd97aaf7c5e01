namespace Cairn.PlaySessions.Storage;

/// <summary>The read side of the sessions projection, and the events it is computed from.</summary>
internal interface IPlaySessionStore
{
    /// <summary>A player's events of a game, oldest first (timestamp, then arrival), with the context fields sessions keep.</summary>
    Task<IReadOnlyList<SessionEvent>> GetEventsAsync(string orgId, string game, string playerKey, CancellationToken cancellationToken);

    /// <summary>A player's sessions of a game (in every org the rows are in), oldest first.</summary>
    Task<IReadOnlyList<PlaySessionRow>> GetPlayerSessionsAsync(string playerKey, string game, CancellationToken cancellationToken);

    /// <summary>
    /// The sessions of a game in one org that started in [from, to), of the given players only when a list is given (by
    /// the index on (org, game, start)).
    /// </summary>
    Task<IReadOnlyList<SummaryRow>> GetSummaryRowsAsync(
        string orgId, string game, DateTimeOffset from, DateTimeOffset to, IReadOnlyList<string>? players, CancellationToken cancellationToken);
}
