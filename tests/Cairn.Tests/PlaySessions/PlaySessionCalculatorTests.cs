using Cairn.PlaySessions;

namespace Cairn.Tests.PlaySessions;

/// <summary>Session boundaries from hand-made timelines: each expectation is written out from the timeline, not computed.</summary>
public sealed class PlaySessionCalculatorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 5, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly SessionSettings TenMinutesTwoHours = new(TimeSpan.FromMinutes(10), TimeSpan.FromHours(2));

    private static SessionEvent At(double minutes, string type = "LevelDone", string? platform = null) => new(type, T0.AddMinutes(minutes), platform, null, null);

    private static string Describe(PlaySession s) => $"{(s.Start - T0).TotalMinutes}-{(s.End - T0).TotalMinutes} {s.EndedBy} {s.Events}";

    [Fact]
    public void Issue_15_a_gap_of_the_threshold_or_more_ends_a_session_at_its_last_event()
    {
        var sessions = PlaySessionCalculator.Compute(TenMinutesTwoHours, [At(0), At(5), At(15), At(24.5), At(40)]);

        Assert.Equal(["0-5 gap 2", "15-24.5 gap 2", "40-40 open 1"], sessions.Select(Describe));
        Assert.Equal(9.5 * 60, sessions[1].DurationSeconds, 6);   // exactly 10 minutes (5 to 15) is a gap; 9.5 is not
    }

    [Fact]
    public void Issue_15_session_end_and_crash_end_a_session_and_session_start_begins_a_new_one()
    {
        var sessions = PlaySessionCalculator.Compute(TenMinutesTwoHours,
            [At(0, "session_start"), At(2), At(3, "session_end"), At(4), At(6, "session_crash"), At(7), At(8, "session_start"), At(9)]);

        Assert.Equal(["0-3 explicit 3", "4-6 crash 2", "7-7 gap 1", "8-9 open 2"], sessions.Select(Describe));
    }

    [Fact]
    public void Issue_15_a_session_never_runs_longer_than_the_maximum()
    {
        // An event every 9 minutes: never a gap; the event at 126 minutes would make the session longer than 2 hours.
        var times = Enumerable.Range(0, 16).Select(i => i * 9.0).ToList();

        var sessions = PlaySessionCalculator.Compute(TenMinutesTwoHours, times.Select(t => At(t)));

        Assert.Equal(["0-117 max 14", "126-135 open 2"], sessions.Select(Describe));
        Assert.Equal(SessionSettings.Default, new SessionSettings(TimeSpan.FromMinutes(30), TimeSpan.FromHours(24)));
    }

    [Fact]
    public void Issue_15_events_are_counted_by_taxonomy_category_and_the_first_platform_is_kept()
    {
        var sessions = PlaySessionCalculator.Compute(SessionSettings.Default,
            [At(0, "session_start"), At(1, "engage_enemy", "WebGL"), At(2, "damage_dealt", "iOS"), At(3, "xp_gain"), At(4, "LevelDone"), At(5, "session_end")]);

        var s = Assert.Single(sessions);
        Assert.Equal(new Dictionary<string, int> { ["combat"] = 2, ["other"] = 1, ["progression"] = 1, ["session_lifecycle"] = 2 }, s.Categories);
        Assert.Equal(("WebGL", 6, SessionEnd.Explicit), (s.Platform, s.Events, s.EndedBy));
    }

    [Fact]
    public void Issue_15_no_events_make_no_sessions()
    {
        Assert.Empty(PlaySessionCalculator.Compute(SessionSettings.Default, []));
    }
}
