using Cairn.Tests.Support;

namespace Cairn.Tests.Storage;

/// <summary>The facts of <see cref="JobQueueCompliance"/> on PostgreSQL, one fresh database per store.</summary>
public sealed class PostgresJobQueueCompliance(PostgresServer server) : JobQueueCompliance(new PostgresStoreMaker(server)), IClassFixture<PostgresServer>;
