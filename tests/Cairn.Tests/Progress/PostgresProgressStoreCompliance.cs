using Cairn.Tests.Storage;
using Cairn.Tests.Support;

namespace Cairn.Tests.Progress;

/// <summary>The facts of <see cref="ProgressStoreCompliance"/> on PostgreSQL, one fresh database per store.</summary>
public sealed class PostgresProgressStoreCompliance(PostgresServer server) : ProgressStoreCompliance(new PostgresStoreMaker(server)), IClassFixture<PostgresServer>;
