namespace Cairn.Leaderboards.Redis;

/// <summary>
/// The Lua scripts of the leaderboard mirror. KEYS are always <see cref="RedisBoardKeys.TokenKeys"/>: 1 epoch, 2 org version,
/// 3 board version, 4 org busy, 5 board busy, 6 set, 7 marker. A set counts while its marker equals the current tokens and
/// neither busy counter is above 0. Player index keys are computed in the scripts (one Redis, not a cluster).
/// </summary>
internal static class BoardScripts
{
    private const string Prelude = """
        local function tokens()
          return (redis.call('GET', KEYS[1]) or '0') .. '|' .. (redis.call('GET', KEYS[2]) or '0') .. '|' .. (redis.call('GET', KEYS[3]) or '0')
        end
        local function quiet()
          return tonumber(redis.call('GET', KEYS[4]) or '0') <= 0 and tonumber(redis.call('GET', KEYS[5]) or '0') <= 0
        end
        local function unindex(set)
          for _, m in ipairs(redis.call('ZRANGE', set, 0, -1)) do
            redis.call('SREM', 'cairn:lb:k:' .. string.sub(m, 22), set .. '|' .. m)
          end
        end
        local function drop(set, pk)
          local index = 'cairn:lb:k:' .. pk
          local prefix = set .. '|'
          for _, entry in ipairs(redis.call('SMEMBERS', index)) do
            if string.sub(entry, 1, #prefix) == prefix then
              redis.call('ZREM', set, string.sub(entry, #prefix + 1))
              redis.call('SREM', index, entry)
            end
          end
        end
        local function put(set, member, score, ttl)
          local index = 'cairn:lb:k:' .. string.sub(member, 22)
          redis.call('ZADD', set, score, member)
          redis.call('SADD', index, set .. '|' .. member)
          redis.call('EXPIRE', index, ttl)
        end

        """;

    /// <summary>The whole set ("ok", member, score, …) when it counts; nil when it must be read from the store.</summary>
    public const string Read = Prelude + """
        if not quiet() or redis.call('GET', KEYS[7]) ~= tokens() then return nil end
        local r = redis.call('ZRANGE', KEYS[6], 0, -1, 'WITHSCORES')
        table.insert(r, 1, 'ok')
        return r
        """;

    /// <summary>The tokens a rebuild starts under, or nil while a write is under way.</summary>
    public const string Tokens = Prelude + """
        if not quiet() then return nil end
        return tokens()
        """;

    /// <summary>ARGV: tokens the rebuild read under, ttl, then member, score pairs. Replaces the set only if nothing moved meanwhile.</summary>
    public const string Install = Prelude + """
        if not quiet() or tokens() ~= ARGV[1] then return 0 end
        unindex(KEYS[6])
        redis.call('DEL', KEYS[6])
        local ttl = tonumber(ARGV[2])
        for i = 3, #ARGV, 2 do put(KEYS[6], ARGV[i], ARGV[i + 1], ttl) end
        redis.call('SET', KEYS[7], ARGV[1], 'EX', ttl)
        redis.call('EXPIRE', KEYS[6], ttl)
        return 1
        """;

    /// <summary>Before a commit of the board's scores: one more writer, a new version; returns the tokens before it ("e|o|v-1") and v.</summary>
    public const string Begin = Prelude + """
        local before = tokens()
        redis.call('INCR', KEYS[5])
        redis.call('EXPIRE', KEYS[5], ARGV[1])
        local v = redis.call('INCR', KEYS[3])
        return { before, tostring(v) }
        """;

    /// <summary>
    /// After the commit. ARGV: 1 tokens before, 2 the tokens expected now (e|o|v+1), 3 ttl, 4 '1' when <see cref="Begin"/> ran,
    /// 5 '1' when committed, then playerKey, member ('' for none), score triples. One writer less, a new version; the players' entries are applied
    /// (and the set counts on) only when the set counted before, nobody else wrote meanwhile and nobody is writing.
    /// </summary>
    public const string End = Prelude + """
        if tonumber(redis.call('GET', KEYS[5]) or '0') > 0 and ARGV[4] == '1' then redis.call('DECR', KEYS[5]) end
        redis.call('INCR', KEYS[3])
        if ARGV[4] ~= '1' or ARGV[5] ~= '1' or redis.call('GET', KEYS[7]) ~= ARGV[1] or tokens() ~= ARGV[2] or not quiet() then return 0 end
        local ttl = tonumber(ARGV[3])
        for i = 6, #ARGV, 3 do
          drop(KEYS[6], ARGV[i])
          if ARGV[i + 1] ~= '' then put(KEYS[6], ARGV[i + 1], ARGV[i + 2], ttl) end
        end
        redis.call('SET', KEYS[7], ARGV[2], 'EX', ttl)
        redis.call('EXPIRE', KEYS[6], ttl)
        return 1
        """;

    /// <summary>Around a change of an org's opt-outs. KEYS: org version, org busy; ARGV: 1 ttl, 2 'begin', 'end' or 'bump' (a new version only).</summary>
    public const string Org = """
        if ARGV[2] == 'begin' then
          redis.call('INCR', KEYS[2])
          redis.call('EXPIRE', KEYS[2], ARGV[1])
        elseif ARGV[2] == 'end' and tonumber(redis.call('GET', KEYS[2]) or '0') > 0 then
          redis.call('DECR', KEYS[2])
        end
        return redis.call('INCR', KEYS[1])
        """;
}
