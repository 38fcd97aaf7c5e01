namespace Cairn.Leaderboards.Storage;

/// <summary>
/// The ranked reads, one text for both dialects (named <c>@</c> parameters; PostgreSQL compares player keys in byte order,
/// as SQLite does). Rank is 1 + the number of visible players strictly ahead: a better score, or the same score reached
/// earlier; equal score and time share a rank and the next rank skips.
/// </summary>
internal static class LeaderboardSql
{
    public enum Read
    {
        After,
        Before,
        Player,
    }

    public static string Select(LeaderboardQuery query, Read read, bool hasPosition, bool postgres)
    {
        var c = postgres ? " COLLATE \"C\"" : "";
        var (better, worse) = query.LowerIsBetter ? ("<", ">") : (">", "<");
        var order = query.LowerIsBetter ? "ASC" : "DESC";
        var reverse = query.LowerIsBetter ? "DESC" : "ASC";
        var position = !hasPosition ? "" : read switch
        {
            Read.After => $" AND (s.score {worse} @score OR (s.score = @score AND (s.achieved_at > @at OR (s.achieved_at = @at AND s.player_key{c} > @pk))))",
            Read.Before => $" AND (s.score {better} @score OR (s.score = @score AND (s.achieved_at < @at OR (s.achieved_at = @at AND s.player_key{c} < @pk))))",
            _ => "",
        };
        var player = read == Read.Player ? " AND s.player_key = @player" : "";
        var orderBy = read == Read.Before
            ? $"s.score {reverse}, s.achieved_at DESC, s.player_key{c} DESC"
            : $"s.score {order}, s.achieved_at, s.player_key{c}";
        return $"""
            SELECT s.player_key, s.score, s.achieved_at,
                   1 + (SELECT COUNT(*) FROM leaderboard_scores b
                        WHERE b.org_id = @org AND b.game = @game AND b.board_id = @board AND b.period_start = @period{Filter("b", query, postgres)}
                          AND (b.score {better} s.score OR (b.score = s.score AND b.achieved_at < s.achieved_at))) AS rank
            FROM leaderboard_scores s
            WHERE s.org_id = @org AND s.game = @game AND s.board_id = @board AND s.period_start = @period{Filter("s", query, postgres)}{position}{player}
            ORDER BY {orderBy}
            LIMIT @limit;
            """;
    }

    private static string Filter(string alias, LeaderboardQuery query, bool postgres)
    {
        var optOut = $" AND NOT EXISTS (SELECT 1 FROM leaderboard_optouts o WHERE o.org_id = {alias}.org_id AND o.player_key = {alias}.player_key)";
        if (query.Players is null)
        {
            return optOut;
        }
        return optOut + (postgres ? $" AND {alias}.player_key = ANY(@players)" : $" AND {alias}.player_key IN (SELECT value FROM json_each(@players))");
    }
}
