using Cairn.Tests.Support;

namespace Cairn.Tests.Storage;

/// <summary>The facts of <see cref="EventLogCompliance"/> on PostgreSQL, one fresh database per store.</summary>
public sealed class PostgresEventLogCompliance(PostgresServer server) : EventLogCompliance(new PostgresStoreMaker(server)), IClassFixture<PostgresServer>;
