namespace Cairn.Storage;

/// <summary>A page of one player's events, newest first.</summary>
internal sealed record TimelineQuery(string PlayerKey, DateTimeOffset? Since, DateTimeOffset? Until, int Limit, string? Cursor);
