namespace Cairn.Storage;

/// <summary>What an export covers: an org (or all), optionally only some players, a game, a time window.</summary>
internal sealed record ExportFilter(string? OrgId, IReadOnlyCollection<string>? PlayerKeys, string? Game, DateTimeOffset? Since, DateTimeOffset? Until);
