using Cairn.Tests.Support;

namespace Cairn.Tests.Storage;

/// <summary>The facts of <see cref="GroupStoreCompliance"/> on PostgreSQL, one fresh database per store.</summary>
public sealed class PostgresGroupStoreCompliance(PostgresServer server) : GroupStoreCompliance(new PostgresStoreMaker(server)), IClassFixture<PostgresServer>;
