using Cairn.Storage;

namespace Cairn.Mastery.Storage;

/// <summary>The mastery projection's read side and its parameter versions.</summary>
internal interface IMasteryStore
{
    /// <summary>A player's rows (of one game, or all), by game then standard.</summary>
    Task<IReadOnlyList<MasteryRow>> GetPlayerMasteryAsync(string playerKey, string? game, CancellationToken cancellationToken);

    /// <summary>The latest fitted parameters of a standard, or null when it was never fitted.</summary>
    Task<FittedParameters?> GetLatestParametersAsync(string orgId, string game, string standardId, CancellationToken cancellationToken);

    /// <summary>Stores each fit as the next version of its (org, game, standard); returns them with their versions.</summary>
    Task<IReadOnlyList<FittedParameters>> AddParametersAsync(IReadOnlyList<FittedParameters> fits, CancellationToken cancellationToken);

    /// <summary>The (org, game) pairs that have rows, optionally only of one org or game.</summary>
    Task<IReadOnlyList<(string OrgId, string Game)>> ListOrgGamesAsync(string? orgId, string? game, CancellationToken cancellationToken);

    /// <summary>
    /// Queues a recompute of every row of the game (of one standard, or of all but <paramref name="exceptStandards"/>) computed
    /// with unfitted parameters of another version than <paramref name="version"/>. Returns how many were queued or bumped.
    /// </summary>
    Task<int> EnqueueStaleAsync(string game, string? standardId, IReadOnlyCollection<string> exceptStandards, string version, DateTimeOffset now,
        CancellationToken cancellationToken);

    /// <summary>The players with a row of the standard (whose rows a new parameter version recomputes).</summary>
    Task<IReadOnlyList<string>> ListPlayersAsync(string orgId, string game, string standardId, CancellationToken cancellationToken);

    /// <summary>Every mastery row of the group's members in the group's game (and org).</summary>
    Task<IReadOnlyList<MasteryRow>> GetGroupMasteryAsync(GroupRecord group, CancellationToken cancellationToken);

    /// <summary>The newest sequence number of the mastery change log (0 when none): a cursor that is "now".</summary>
    Task<long> GetLatestChangeAsync(CancellationToken cancellationToken);

    /// <summary>Rows of the group's members changed after <paramref name="afterSeq"/>, oldest change first, with their current state.</summary>
    Task<IReadOnlyList<MasteryChange>> GetGroupChangesAsync(GroupRecord group, long afterSeq, int limit, CancellationToken cancellationToken);
}
