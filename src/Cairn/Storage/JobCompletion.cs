namespace Cairn.Storage;

/// <summary>The result of one claimed job, to store with the others of its claim: a row, or null to remove the row (white).</summary>
internal sealed record JobCompletion(JobLease Job, string PointId, ProgressRow? Row);
