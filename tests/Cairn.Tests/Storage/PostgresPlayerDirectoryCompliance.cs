using Cairn.Tests.Support;

namespace Cairn.Tests.Storage;

/// <summary>The facts of <see cref="PlayerDirectoryCompliance"/> on PostgreSQL, one fresh database per store.</summary>
public sealed class PostgresPlayerDirectoryCompliance(PostgresServer server) : PlayerDirectoryCompliance(new PostgresStoreMaker(server)), IClassFixture<PostgresServer>;
