using Cairn.Tests.Storage;

namespace Cairn.Tests.Progress;

/// <summary>The facts of <see cref="ProgressStoreCompliance"/> on the embedded SQLite store.</summary>
public sealed class SqliteProgressStoreCompliance() : ProgressStoreCompliance(new SqliteStoreMaker());
