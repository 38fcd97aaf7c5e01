namespace Cairn.Storage;

/// <summary>The result of one claimed job (what its projection computed; null: no row), to store with the others of its claim.</summary>
internal sealed record JobCompletion(JobLease Job, object? Result);
