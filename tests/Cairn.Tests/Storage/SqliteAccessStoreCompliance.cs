namespace Cairn.Tests.Storage;

/// <summary>The facts of <see cref="AccessStoreCompliance"/> on the embedded SQLite store.</summary>
public sealed class SqliteAccessStoreCompliance() : AccessStoreCompliance(new SqliteStoreMaker());
