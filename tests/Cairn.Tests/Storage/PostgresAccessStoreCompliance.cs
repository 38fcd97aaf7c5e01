using Cairn.Tests.Support;

namespace Cairn.Tests.Storage;

/// <summary>The facts of <see cref="AccessStoreCompliance"/> on PostgreSQL, one fresh database per store.</summary>
public sealed class PostgresAccessStoreCompliance(PostgresServer server) : AccessStoreCompliance(new PostgresStoreMaker(server)), IClassFixture<PostgresServer>;
