namespace Cairn.Tests.Storage;

/// <summary>The facts of <see cref="PlayerDirectoryCompliance"/> on the embedded SQLite store.</summary>
public sealed class SqlitePlayerDirectoryCompliance() : PlayerDirectoryCompliance(new SqliteStoreMaker());
