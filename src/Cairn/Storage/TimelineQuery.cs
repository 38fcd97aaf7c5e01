namespace Cairn.Storage;

/// <summary>A page of one player's events, newest first; only of the given games when <paramref name="Games"/> is set.</summary>
internal sealed record TimelineQuery(string PlayerKey, DateTimeOffset? Since, DateTimeOffset? Until, int Limit, string? Cursor, IReadOnlyCollection<string>? Games = null);
