namespace Cairn.Leaderboards;

/// <summary>
/// A board's periods: each starts at local midnight in the board's time zone (of the day, of the Monday, of the first of the
/// month) and is identified by that instant in UTC; a board that never resets has one period, starting at the Unix epoch.
/// </summary>
internal static class LeaderboardPeriods
{
    /// <summary>The start of the period that holds <paramref name="instant"/>.</summary>
    public static DateTimeOffset StartOf(LeaderboardDefinition board, DateTimeOffset instant)
    {
        if (board.Reset == LeaderboardReset.Never)
        {
            return DateTimeOffset.UnixEpoch;
        }
        var local = TimeZoneInfo.ConvertTime(instant, board.TimeZone).DateTime.Date;
        var day = board.Reset switch
        {
            LeaderboardReset.Daily => local,
            LeaderboardReset.Weekly => local.AddDays(-(((int)local.DayOfWeek + 6) % 7)),
            _ => new DateTime(local.Year, local.Month, 1, 0, 0, 0, DateTimeKind.Unspecified),
        };
        return ToUtc(day, board.TimeZone);
    }

    /// <summary>The start of the period after the one starting at <paramref name="start"/> (null when the board never resets).</summary>
    public static DateTimeOffset? NextAfter(LeaderboardDefinition board, DateTimeOffset start)
    {
        if (board.Reset == LeaderboardReset.Never)
        {
            return null;
        }
        var local = TimeZoneInfo.ConvertTime(start, board.TimeZone).DateTime.Date;
        var next = board.Reset switch
        {
            LeaderboardReset.Daily => local.AddDays(1),
            LeaderboardReset.Weekly => local.AddDays(7),
            _ => local.AddMonths(1),
        };
        return ToUtc(next, board.TimeZone);
    }

    /// <summary>The start of the period before the one starting at <paramref name="start"/> (null when the board never resets).</summary>
    public static DateTimeOffset? PreviousBefore(LeaderboardDefinition board, DateTimeOffset start) =>
        board.Reset == LeaderboardReset.Never ? null : StartOf(board, start.AddTicks(-1));

    /// <summary>Local midnight as an instant: a midnight the clocks skip becomes the first valid time after it; one they repeat, the earlier.</summary>
    private static DateTimeOffset ToUtc(DateTime local, TimeZoneInfo zone)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        var guard = 0;
        while (zone.IsInvalidTime(local) && guard++ < 24 * 4)
        {
            local = local.AddMinutes(15);
        }
        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUniversalTime();
    }
}
