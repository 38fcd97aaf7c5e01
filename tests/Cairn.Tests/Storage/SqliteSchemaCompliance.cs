namespace Cairn.Tests.Storage;

/// <summary>The facts of <see cref="SchemaCompliance"/> on the embedded SQLite store.</summary>
public sealed class SqliteSchemaCompliance() : SchemaCompliance(new SqliteStoreMaker());
