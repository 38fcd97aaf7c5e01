namespace Cairn.Storage;

/// <summary>
/// Every table that holds a playerKey. The core tables are handled by name in each store's privacy operations (each has
/// its own rule: the directory merges, tokens are revoked, the audit log is rewritten); projection tables are declared by
/// their projection (<see cref="PlayerKeyTable"/>) and handled by one generic rule, so a new projection cannot be forgotten.
/// </summary>
internal sealed class PlayerData(IEnumerable<PlayerKeyTable> projectionTables)
{
    /// <summary>The core tables with a playerKey, each handled explicitly by erasure, retention, export and rekeying.</summary>
    public static readonly IReadOnlyList<string> CoreTables =
        ["events", "rejected_events", "players", "api_keys", "jobs", "dead_jobs", "group_members"];

    /// <summary>Core tables that mention playerKeys inside text (rewritten by erasure and rekeying).</summary>
    public static readonly IReadOnlyList<string> CoreTextTables = ["audit_log"];

    public IReadOnlyList<PlayerKeyTable> ProjectionTables { get; } = [.. projectionTables];

    /// <summary>The names of every table that holds a playerKey.</summary>
    public IEnumerable<string> AllTables => CoreTables.Concat(ProjectionTables.Select(t => t.Name));
}
