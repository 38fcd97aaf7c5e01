namespace Cairn.Storage;

/// <summary>One page of a listing; <see cref="NextCursor"/> is null on the last page.</summary>
internal sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);
