namespace Cairn.Tests.Storage;

/// <summary>The facts of <see cref="JobQueueCompliance"/> on the embedded SQLite store.</summary>
public sealed class SqliteJobQueueCompliance() : JobQueueCompliance(new SqliteStoreMaker());
