namespace Cairn.Tests.Storage;

/// <summary>The facts of <see cref="EventLogCompliance"/> on the embedded SQLite store.</summary>
public sealed class SqliteEventLogCompliance() : EventLogCompliance(new SqliteStoreMaker());
