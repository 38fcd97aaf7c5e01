using Cairn.Tests.Storage;

namespace Cairn.Tests.Leaderboards;

/// <summary>The facts of <see cref="LeaderboardCompliance"/> on SQLite.</summary>
public sealed class SqliteLeaderboardCompliance() : LeaderboardCompliance(new SqliteStoreMaker());
