using Cairn.Tests.Storage;
using Cairn.Tests.Support;

namespace Cairn.Tests.Leaderboards;

/// <summary>The facts of <see cref="LeaderboardCompliance"/> on PostgreSQL, one fresh database per store.</summary>
public sealed class PostgresLeaderboardCompliance(PostgresServer server) : LeaderboardCompliance(new PostgresStoreMaker(server)), IClassFixture<PostgresServer>;
