namespace Cairn.Projections;

/// <summary>What a job recomputes: one key of one projection (for progress, a point id), for the event's player.</summary>
internal readonly record struct JobKey(string Projection, string Key);
