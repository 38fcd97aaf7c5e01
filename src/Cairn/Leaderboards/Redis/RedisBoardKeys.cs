using System.Globalization;
using Cairn.Leaderboards.Storage;
using Cairn.Storage;

namespace Cairn.Leaderboards.Redis;

/// <summary>
/// The Redis keyspace of the leaderboard mirror. A board period's sorted set counts only while its marker holds the current
/// tokens ("epoch|org version|board version") and nobody is writing the board or the org's opt-outs; every key naming a
/// player is reachable from the player's index (<see cref="Index"/>), so erasure removes them all.
/// </summary>
internal static class RedisBoardKeys
{
    /// <summary>A board's write version: bumped before and after every commit of its scores.</summary>
    public static string Version(string orgId, string game, string boardId) => $"cairn:lb:v:{orgId}:{game}:{boardId}";

    /// <summary>How many commits of a board's scores are under way (it expires, so a process that died mid-commit cannot pin it).</summary>
    public static string Busy(string orgId, string game, string boardId) => $"cairn:lb:w:{orgId}:{game}:{boardId}";

    /// <summary>An org's opt-out version: bumped before and after every change of a player's leaderboards consent.</summary>
    public static string OrgVersion(string orgId) => $"cairn:lb:o:{orgId}";

    /// <summary>How many opt-out changes of an org are under way.</summary>
    public static string OrgBusy(string orgId) => $"cairn:lb:ow:{orgId}";

    /// <summary>One period of a board: members "atMicros(20 digits):playerKey", scores the score (negated when higher is better).</summary>
    public static string Set(LeaderboardQuery query) =>
        $"cairn:lb:s:{query.OrgId}:{query.Game}:{query.BoardId}:{(query.LowerIsBetter ? "lo" : "hi")}:{TimeCodec.ToMicros(query.PeriodStart).ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The marker of a set: the tokens it was built (or last updated) under.</summary>
    public static string Built(string set) => set + ":b";

    /// <summary>A player's index: "setKey|member" for each board set the player is in.</summary>
    public static string Index(string playerKey) => "cairn:lb:k:" + playerKey;

    public static string Member(DateTimeOffset at, string playerKey) =>
        TimeCodec.ToMicros(at).ToString("D20", CultureInfo.InvariantCulture) + ":" + playerKey;

    /// <summary>The keys every mirror script reads its tokens from, in this order, then the set and its marker.</summary>
    public static RedisKeyList TokenKeys(LeaderboardQuery query)
    {
        var set = Set(query);
        return new RedisKeyList([PlayerState.Cache.RedisKeys.Epoch, OrgVersion(query.OrgId), Version(query.OrgId, query.Game, query.BoardId),
            OrgBusy(query.OrgId), Busy(query.OrgId, query.Game, query.BoardId), set, Built(set)]);
    }
}
