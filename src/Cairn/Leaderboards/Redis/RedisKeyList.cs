using StackExchange.Redis;

namespace Cairn.Leaderboards.Redis;

/// <summary>The keys of a mirror script: epoch, org version, board version, org busy, board busy, set, marker.</summary>
internal sealed record RedisKeyList(RedisKey[] Keys);
