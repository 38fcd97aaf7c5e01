namespace Cairn.Storage;

/// <summary>A job to queue outside ingest (a catalog change, a pepper rotation): recompute one key of one player.</summary>
internal sealed record QueuedJob(string Projection, string OrgId, string Game, string PlayerKey, string Key, string? TriggerEventId);
