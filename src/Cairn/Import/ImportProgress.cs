namespace Cairn.Import;

/// <summary>Where a running import is: rows done, and bytes of the file read out of its size.</summary>
internal readonly record struct ImportProgress(long Rows, long BytesRead, long TotalBytes, long Accepted, long Duplicates, long Rejected);
