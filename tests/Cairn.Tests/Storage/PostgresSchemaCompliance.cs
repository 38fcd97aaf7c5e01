using Cairn.Tests.Support;

namespace Cairn.Tests.Storage;

/// <summary>The facts of <see cref="SchemaCompliance"/> on PostgreSQL, one fresh database per store.</summary>
public sealed class PostgresSchemaCompliance(PostgresServer server) : SchemaCompliance(new PostgresStoreMaker(server)), IClassFixture<PostgresServer>;
