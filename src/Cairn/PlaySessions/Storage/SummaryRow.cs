namespace Cairn.PlaySessions.Storage;

/// <summary>What the sessions summary reads per session: whose, how long, on which platform.</summary>
internal readonly record struct SummaryRow(string PlayerKey, double DurationSeconds, string? Platform);
