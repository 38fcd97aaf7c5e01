using Cairn.Access;
using Cairn.Catalogs;
using Cairn.Identity;
using Cairn.Leaderboards.Storage;
using Cairn.Storage;
using static Cairn.Leaderboards.LeaderboardViews;

namespace Cairn.Leaderboards;

/// <summary>
/// The leaderboard reads, scoped: the board's org is the caller's (the admin names it), a teacher reads the boards of the
/// games of their classes, a group scope must be a group the caller covers. Every player on a board is shown, ranked among
/// the scope's players who have not opted out; only those the caller's scope covers carry their playerKey and name, the
/// others a stable neutral label ("Player 3fa9c1", a keyed hash that cannot be turned back into the key).
/// </summary>
internal sealed class LeaderboardReader(ILeaderboardStore store, IPlayerDirectory directory, IGroupStore groups, Scopes scopes, CatalogRegistry catalogs, PlayerKeys keys)
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;
    public const int DefaultAround = 3;
    public const int MaxAround = 50;

    private readonly LeaderboardCursor _cursors = new(keys);

    public async Task<BoardPage> ReadBoardAsync(
        Caller caller, string game, string boardId, string? org, string? scope, string? period, int? limit, string? cursor, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var target = await ResolveAsync(caller, game, boardId, OrgOf(caller, org), scope, period, now, cancellationToken);
        var take = limit ?? DefaultLimit;
        if (take is < 1 or > MaxLimit)
        {
            throw LeaderboardRequestException.BadRequest($"'limit' must be between 1 and {MaxLimit}.");
        }
        LeaderboardPosition? after = null;
        var query = target.Query;
        if (cursor is not null)
        {
            if (!_cursors.TryOpen(cursor, target.CursorScope, out var periodStart, out var position))
            {
                throw LeaderboardRequestException.BadRequest("'cursor' is not one this server handed out for this board and scope; pass 'nextCursor' from the previous page unchanged.");
            }
            // A cursor pins the period its first page read: paging on after a reset still walks that period.
            query = query with { PeriodStart = periodStart };
            after = position;
        }
        var rows = await store.GetPageAsync(query, after, take + 1, cancellationToken);
        var page = rows.Take(take).ToList();
        var next = rows.Count > take ? _cursors.Seal(target.CursorScope, query.PeriodStart, page[^1].Position) : null;
        var names = await NamesAsync(caller, target, page, cancellationToken);
        return new BoardPage(game, boardId, target.Board.Title, OrderOf(target.Board), target.ScopeText,
            PeriodOf(target.Board, target.PeriodName, query.PeriodStart), [.. page.Select(names)], next);
    }

    public async Task<BoardPlayerRank> ReadPlayerAsync(
        Caller caller, string game, string boardId, string playerKey, string? scope, string? period, int? around, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        if (!PlayerKeys.LooksLikeKey(playerKey))
        {
            throw LeaderboardRequestException.BadRequest("That is not a playerKey (they look like p1_0123…).");
        }
        CheckIds(game, boardId);
        if (await scopes.ReachAsync(caller, playerKey, cancellationToken) is not { } reach || !reach.Includes(game)
            || await directory.GetPlayerAsync(playerKey, cancellationToken) is not { } player)
        {
            throw LeaderboardRequestException.NotFound("No such player.");
        }
        var n = around ?? DefaultAround;
        if (n is < 0 or > MaxAround)
        {
            throw LeaderboardRequestException.BadRequest($"'around' must be between 0 and {MaxAround}.");
        }
        var target = await ResolveAsync(caller, game, boardId, player.OrgId, scope, period, now, cancellationToken);
        var shownPeriod = PeriodOf(target.Board, target.PeriodName, target.Query.PeriodStart);
        if (await store.GetEntryAsync(target.Query, playerKey, cancellationToken) is not { } entry)
        {
            // In scope but not ranked (no score in the period, not in the group, or off leaderboards): no rank, no neighbours.
            return new BoardPlayerRank(game, boardId, target.Board.Title, OrderOf(target.Board), target.ScopeText, shownPeriod, null, [], []);
        }
        var above = n == 0 ? [] : await store.GetAboveAsync(target.Query, entry.Position, n, cancellationToken);
        var below = n == 0 ? [] : await store.GetPageAsync(target.Query, entry.Position, n, cancellationToken);
        var names = await NamesAsync(caller, target, [.. above, entry, .. below], cancellationToken);
        return new BoardPlayerRank(game, boardId, target.Board.Title, OrderOf(target.Board), target.ScopeText, shownPeriod, names(entry),
            [.. above.Select(names)], [.. below.Select(names)]);
    }

    /// <summary>A stable neutral label for a player the caller may not see: a keyed hash of the key, per org.</summary>
    public string LabelOf(string orgId, string playerKey) => "Player " + keys.TemplateHash(orgId, "\0leaderboard-label\0" + playerKey)[..6];

    private sealed record Target(LeaderboardDefinition Board, LeaderboardQuery Query, string ScopeText, string PeriodName, string CursorScope);

    private static string OrgOf(Caller caller, string? org)
    {
        var own = Scopes.OrgOf(caller);
        if (own is null)
        {
            return org is not null && AdminApi.Identifier().IsMatch(org)
                ? org
                : throw LeaderboardRequestException.BadRequest("'org' is required with the admin token (?org=O): a board ranks one org's players.");
        }
        return org is null || org == own ? own : throw LeaderboardRequestException.NotFound("No such leaderboard.");
    }

    private static void CheckIds(string game, string boardId)
    {
        if (!AdminApi.Identifier().IsMatch(game) || !AdminApi.Identifier().IsMatch(boardId))
        {
            throw LeaderboardRequestException.BadRequest("The game and the board must be ids (letters, digits, '.', '_', '-').");
        }
    }

    private async Task<Target> ResolveAsync(
        Caller caller, string game, string boardId, string org, string? scope, string? period, DateTimeOffset now, CancellationToken cancellationToken)
    {
        CheckIds(game, boardId);
        if (catalogs.Current.For(game)?.Leaderboards.Find(boardId) is not { } board)
        {
            throw LeaderboardRequestException.NotFound("No such leaderboard.");
        }
        if (caller is Caller.Reader { Role: Roles.Teacher or Roles.TeacherAdmin }
            && !(await scopes.VisibleGroupsAsync(caller, cancellationToken)).Any(g => g.OrgId == org && g.Game == game))
        {
            throw LeaderboardRequestException.NotFound("No such leaderboard.");
        }
        IReadOnlyList<string>? players = null;
        var scopeText = scope ?? "org";
        if (scopeText.StartsWith("group:", StringComparison.Ordinal))
        {
            var groupId = scopeText["group:".Length..];
            if (!AdminApi.Identifier().IsMatch(groupId))
            {
                throw LeaderboardRequestException.BadRequest("'scope' must be org or group:{groupId}.");
            }
            if ((await scopes.FindGroupAsync(caller, groupId, org, cancellationToken)).Group is not { } group || group.Game != game)
            {
                throw LeaderboardRequestException.NotFound("No such group (of this game, in the caller's scope).");
            }
            players = [.. (await groups.GetMembersAsync(group.OrgId, group.Id, cancellationToken)).Select(m => m.PlayerKey)];
        }
        else if (scopeText != "org")
        {
            throw LeaderboardRequestException.BadRequest("'scope' must be org or group:{groupId}.");
        }
        var current = LeaderboardPeriods.StartOf(board, now);
        var start = (period ?? "current") switch
        {
            "current" => current,
            "previous" => LeaderboardPeriods.PreviousBefore(board, current)
                ?? throw LeaderboardRequestException.BadRequest($"Leaderboard '{boardId}' never resets: it has no previous period."),
            _ => throw LeaderboardRequestException.BadRequest("'period' must be current or previous."),
        };
        return new Target(board, new LeaderboardQuery(org, game, boardId, start, board.LowerIsBetter, players), scopeText, period ?? "current",
            $"{org}/{game}/{boardId}/{scopeText}");
    }

    /// <summary>How each entry is shown to this caller: covered players by key and name, the others by label only.</summary>
    private async Task<Func<LeaderboardEntry, BoardEntry>> NamesAsync(Caller caller, Target target, IReadOnlyList<LeaderboardEntry> entries, CancellationToken cancellationToken)
    {
        var org = target.Query.OrgId;
        HashSet<string>? covered = null;
        if (caller is Caller.Reader { Role: Roles.Teacher or Roles.TeacherAdmin })
        {
            covered = new HashSet<string>(StringComparer.Ordinal);
            foreach (var group in (await scopes.VisibleGroupsAsync(caller, cancellationToken)).Where(g => g.OrgId == org && g.Game == target.Query.Game))
            {
                covered.UnionWith((await groups.GetMembersAsync(group.OrgId, group.Id, cancellationToken)).Select(m => m.PlayerKey));
            }
        }
        bool Covers(string playerKey) => caller switch
        {
            Caller.Admin => true,
            Caller.Reader { Role: Roles.OrgAdmin } r => r.OrgId == org,
            Caller.Reader { Role: Roles.Student } s => s.PlayerKey == playerKey,
            _ => covered?.Contains(playerKey) == true,
        };
        var shown = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            if (!shown.ContainsKey(entry.PlayerKey) && Covers(entry.PlayerKey))
            {
                shown[entry.PlayerKey] = (await directory.GetPlayerAsync(entry.PlayerKey, cancellationToken))?.DisplayName ?? LabelOf(org, entry.PlayerKey);
            }
        }
        return e => shown.TryGetValue(e.PlayerKey, out var name)
            ? new BoardEntry(e.Rank, e.PlayerKey, name, e.Score, e.At)
            : new BoardEntry(e.Rank, null, LabelOf(org, e.PlayerKey), e.Score, e.At);
    }

    private static string OrderOf(LeaderboardDefinition board) => board.LowerIsBetter ? "lower" : "higher";

    private static BoardPeriod PeriodOf(LeaderboardDefinition board, string name, DateTimeOffset start) =>
        board.Reset == LeaderboardReset.Never ? new BoardPeriod(name, null, null) : new BoardPeriod(name, start, LeaderboardPeriods.NextAfter(board, start));
}
