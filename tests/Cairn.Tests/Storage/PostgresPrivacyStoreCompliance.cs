using Cairn.Tests.Support;

namespace Cairn.Tests.Storage;

/// <summary>The facts of <see cref="PrivacyStoreCompliance"/> on PostgreSQL, one fresh database per store.</summary>
public sealed class PostgresPrivacyStoreCompliance(PostgresServer server) : PrivacyStoreCompliance(new PostgresStoreMaker(server)), IClassFixture<PostgresServer>;
