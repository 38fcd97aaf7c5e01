using Cairn.Catalogs;
using Cairn.Leaderboards;
using Cairn.Tests.Support;

namespace Cairn.Tests.Leaderboards;

/// <summary>The <c>leaderboards:</c> section of a catalog: read into boards, checked with file:line errors.</summary>
public sealed class LeaderboardCatalogTests
{
    private const string Head = "game: t\nleaderboards:\n";

    private static string Shipped(string file) => File.ReadAllText(Path.Combine(SharedData.RepositoryRoot(), "catalogs", file));

    [Theory]
    [InlineData(Head + "  - id: b\n    operator: incr\n", 3, "leaderboard 'b' is missing 'on'")]
    [InlineData(Head + "  - id: b\n    on: { eventType: E }\n", 3, "leaderboard 'b' is missing 'operator'")]
    [InlineData(Head + "  - id: b\n    on: { eventType: E }\n    operator: max\n", 5, "'operator' of leaderboard 'b' must be one of best, latest, sum, incr")]
    [InlineData(Head + "  - id: b\n    on: { eventType: E }\n    operator: best\n", 3, "leaderboard 'b' is missing 'score'")]
    [InlineData(Head + "  - id: b\n    on: { eventType: E }\n    operator: incr\n    score: count\n", 6, "takes no 'score'")]
    [InlineData(Head + "  - id: b\n    on: { eventType: E }\n    operator: sum\n    score: count\n    by: 2\n", 7, "'by' of leaderboard 'b' only goes with 'operator: incr'")]
    [InlineData(Head + "  - id: b\n    on: { eventType: E }\n    operator: incr\n    by: lots\n", 6, "'by' of leaderboard 'b' must be a number")]
    [InlineData(Head + "  - id: b\n    on: { eventType: E }\n    operator: sum\n    score: { field: n, counter: c }\n", 6, "needs exactly one of 'field', 'counter', 'since'")]
    [InlineData(Head + "  - id: b\n    on: { eventType: E }\n    operator: sum\n    score: { column: n }\n", 6, "unknown key 'column'")]
    [InlineData(Head + "  - id: b\n    on: { eventType: E }\n    operator: sum\n    score: points\n", 6, "'score' of leaderboard 'b' must be")]
    [InlineData(Head + "  - id: b\n    on: { eventType: E }\n    operator: best\n    score: { since: { data: { q: 1 } } }\n", 6, "missing 'eventType'")]
    [InlineData(Head + "  - id: b\n    on: { eventType: E }\n    operator: incr\n    order: up\n", 6, "'order' of leaderboard 'b' must be one of higher, lower")]
    [InlineData(Head + "  - id: b\n    on: { eventType: E }\n    operator: incr\n    reset: hourly\n", 6, "'reset' of leaderboard 'b' must be one of never, daily, weekly, monthly")]
    [InlineData(Head + "  - id: b\n    on: { eventType: E }\n    operator: incr\n    timeZone: Mars/Olympus\n", 6, "'timeZone' of leaderboard 'b' is not an IANA time zone id")]
    [InlineData(Head + "  - id: b\n    on: { eventType: E }\n    operator: incr\n    colour: red\n", 6, "unknown key 'colour' in a leaderboard")]
    [InlineData(Head + "  - id: b\n    on: { eventType: E }\n    operator: incr\n  - id: b\n    on: { eventType: F }\n    operator: incr\n", 6, "duplicate leaderboard id 'b'")]
    [InlineData(Head + "  - id: b c\n    on: { eventType: E }\n    operator: incr\n", 3, "leaderboard id 'b c' must be letters")]
    [InlineData(Head + "  - on: { eventType: E }\n    operator: incr\n", 3, "a leaderboard is missing 'id'")]
    [InlineData("game: t\nleaderboards: { id: b }\n", 2, "'leaderboards' must be a list")]
    public void Issue_13_leaderboard_error_names_the_file_and_line(string yaml, int line, string problem)
    {
        var ex = Assert.Throws<CatalogException>(() => CatalogLoader.Load("games/t.yaml", yaml));

        Assert.Equal(line, ex.Line);
        Assert.Contains(problem, ex.Problem, StringComparison.Ordinal);
        Assert.StartsWith($"games/t.yaml:{line}: ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Issue_13_a_board_reads_its_score_operator_order_reset_and_time_zone()
    {
        var catalog = CatalogLoader.Load("t.yaml", Head + """
              - id: quick
                title: Quickest
                on: { eventType: done, data: { q: 1 } }
                score: { since: { eventType: started, data: { q: 1 } } }
                operator: best
                order: lower
                reset: weekly
                timeZone: Europe/Berlin
              - id: rounds
                on: { eventType: round }
                operator: incr
                by: 0
            """);

        var quick = catalog.Leaderboards.Boards[0];
        var rounds = catalog.Leaderboards.Boards[1];
        Assert.Equal(("quick", "Quickest", LeaderboardOperator.Best, true, LeaderboardReset.Weekly, "Europe/Berlin"),
            (quick.Id, quick.Title, quick.Operator, quick.LowerIsBetter, quick.Reset, quick.TimeZone.Id));
        Assert.Equal((LeaderboardScoreKind.Duration, "started"), (quick.Score!.Kind, quick.Score.Since!.EventType));
        Assert.Equal(("rounds", LeaderboardOperator.Incr, 0.0, false, LeaderboardReset.Never, null), (rounds.Title, rounds.Operator, rounds.By, rounds.LowerIsBetter, rounds.Reset, rounds.Score));
        Assert.Equal("UTC", rounds.TimeZone.Id);
    }

    [Fact]
    public void Issue_13_the_shipped_catalogs_declare_their_boards()
    {
        var woods = CatalogLoader.Load("wylding-woods.yaml", Shipped("wylding-woods.yaml"));
        var mhs = CatalogLoader.Load("mhs.yaml", Shipped("mhs.yaml"));

        Assert.Equal(["artist_tools_week", "quickest_woander"], woods.Leaderboards.Boards.Select(b => b.Id));
        Assert.Equal("America/Los_Angeles", woods.Leaderboards.Boards[0].TimeZone.Id);
        Assert.True(woods.Leaderboards.Boards[1].LowerIsBetter);
        Assert.Equal(["quests_finished"], mhs.Leaderboards.Boards.Select(b => b.Id));
    }
}
