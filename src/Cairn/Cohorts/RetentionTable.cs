namespace Cairn.Cohorts;

/// <summary>
/// First-time retention (docs/analytics.md, Retention): a player's cohort is the interval of their first event of the game (ever,
/// not only in the range); each cohort starting in [from, to) is followed in every later interval up to the one holding <c>to</c>.
/// </summary>
internal static class RetentionTable
{
    public static IReadOnlyList<RetentionCohort> Compute(IReadOnlyList<ActiveDay> days, RetentionInterval interval, DateTimeOffset from, DateTimeOffset to)
    {
        var buckets = new Dictionary<string, SortedSet<long>>(StringComparer.Ordinal);
        foreach (var (player, day) in days)
        {
            if (!buckets.TryGetValue(player, out var set))
            {
                buckets[player] = set = [];
            }
            set.Add(Bucket(day, interval));
        }
        var first = Bucket(DayOf(from), interval);
        var last = Bucket(DayOf(to.AddTicks(-1)), interval);
        var cohorts = new List<RetentionCohort>();
        for (var c = first; c <= last; c++)
        {
            var members = buckets.Values.Where(s => s.Min == c).ToList();
            var active = new List<long>();
            var share = new List<double>();
            for (var offset = 0; c + offset <= last; offset++)
            {
                long n = members.Count(s => s.Contains(c + offset));
                active.Add(n);
                share.Add(members.Count == 0 ? 0 : Math.Round((double)n / members.Count, 4));
            }
            cohorts.Add(new RetentionCohort(StartOf(c, interval), members.Count, active, share));
        }
        return cohorts;
    }

    public static long DayOf(DateTimeOffset at) => (long)Math.Floor((at.UtcTicks - DateTime.UnixEpoch.Ticks) / (decimal)TimeSpan.TicksPerDay);

    /// <summary>The interval of a day: the day itself, or its Monday-based week (1970-01-01 was a Thursday, three days after a Monday).</summary>
    private static long Bucket(long day, RetentionInterval interval) => interval == RetentionInterval.Day ? day : (long)Math.Floor((day + 3) / 7.0);

    private static DateTimeOffset StartOf(long bucket, RetentionInterval interval) =>
        new(DateTime.UnixEpoch.AddDays(interval == RetentionInterval.Day ? bucket : bucket * 7 - 3), TimeSpan.Zero);
}
