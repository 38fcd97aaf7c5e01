namespace Cairn.Ingest;

/// <summary>Why one event was rejected: where (a JSON path), a stable code, and a sentence for people.</summary>
internal sealed record EventError(string Path, string Code, string Message);
