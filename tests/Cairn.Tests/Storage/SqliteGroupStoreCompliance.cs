namespace Cairn.Tests.Storage;

/// <summary>The facts of <see cref="GroupStoreCompliance"/> on the embedded SQLite store.</summary>
public sealed class SqliteGroupStoreCompliance() : GroupStoreCompliance(new SqliteStoreMaker());
