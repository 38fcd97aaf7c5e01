using System.Text;
using System.Text.Json.Nodes;
using Cairn.Access;
using Cairn.Catalogs;
using Cairn.Identity;
using Cairn.Jobs;
using Cairn.Leaderboards;
using Cairn.Leaderboards.Redis;
using Cairn.Leaderboards.Storage;
using Cairn.Projections;
using Cairn.Storage;
using Cairn.Tests.Storage;
using Cairn.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static Cairn.Leaderboards.LeaderboardViews;

namespace Cairn.Tests.Leaderboards;

/// <summary>
/// The leaderboard projection end to end on one store: events written with the jobs the projection asks for, the real job
/// runner, and the scoped reads (<see cref="LeaderboardReader"/>) on a clock each fact sets. A Sqlite* and a Postgres*
/// subclass only say which store.
/// </summary>
public abstract class LeaderboardCompliance : StoreFacts, IDisposable
{
    private const string Board = "game-x";
    private protected const string Pa = "p1_ada", Pb = "p1_ben", Pc = "p1_cy", Pd = "p1_dee", Pe = "p1_eve", Pf = "p1_fay";

    private const string Catalog = """
        game: game-x
        eventTypes:
          round_done: { data: { points: integer } }
          quest_started: { data: { quest: string } }
          quest_done: { data: { quest: string } }
          gem_found: { data: { n: integer } }
        state:
          rules:
            - on: { eventType: gem_found }
              addCounter: { counter: gems, amount: { field: n } }
        leaderboards:
          - id: high
            title: High score
            on: { eventType: round_done }
            score: { field: points }
            operator: best
          - id: daily_total
            on: { eventType: round_done }
            score: { field: points }
            operator: sum
            reset: daily
            timeZone: America/Los_Angeles
          - id: weekly_rounds
            on: { eventType: round_done }
            operator: incr
            reset: weekly
          - id: monthly_latest
            on: { eventType: round_done }
            score: { field: points }
            operator: latest
            reset: monthly
          - id: zero
            on: { eventType: round_done }
            operator: incr
            by: 0
          - id: fastest
            on: { eventType: quest_done, data: { quest: q1 } }
            score: { since: { eventType: quest_started, data: { quest: q1 } } }
            operator: best
            order: lower
          - id: gems
            on: { eventType: gem_found }
            score: { counter: gems }
            operator: latest
        """;

    private readonly TempDirectory _catalogs = new();
    private readonly CatalogRegistry _registry;
    private Stores? _fresh;
    private readonly PlayerKeys _keys = new(Encoding.UTF8.GetBytes(TestServer.Pepper), 1);
    private int _events;

    private protected LeaderboardCompliance(StoreMaker maker)
        : base(maker)
    {
        File.WriteAllText(_catalogs.Combine("game-x.yaml"), Catalog);
        _registry = new CatalogRegistry(_catalogs.Path, NullLogger<CatalogRegistry>.Instance);
        Assert.Empty(_registry.Reload().Errors);
    }

    public void Dispose()
    {
        DisposeMore();
        _catalogs.Dispose();
    }

    /// <summary>What a subclass started for its facts (a Redis server).</summary>
    private protected virtual void DisposeMore()
    {
    }

    /// <summary>The board store the reads and opt-outs go through: the store's own here, Redis in front of it in a subclass.</summary>
    private protected virtual ILeaderboardStore Over(ILeaderboardStore store) => store;

    /// <summary>The store facts use: the base's, or a fresh one a fact asked for.</summary>
    private Stores S => _fresh ?? Store;

    private ILeaderboardStore? _boards;
    private Stores? _boardsOf;

    private protected ILeaderboardStore Boards
    {
        get
        {
            if (!ReferenceEquals(_boardsOf, S))
            {
                (_boards, _boardsOf) = (Over(S.Projection<ILeaderboardStore>(LeaderboardProjection.Name)), S);
            }
            return _boards!;
        }
    }

    private protected CatalogRegistry Registry => _registry;

    private LeaderboardReader Reader => new(Boards, S.Directory, S.Groups, new Scopes(S.Groups, S.Directory), _registry, _keys);

    private static readonly Caller Admin = new Caller.Admin();

    private protected static DateTimeOffset T(double minutes) => T0.AddMinutes(minutes);

    /// <summary>Writes the events (with the jobs the projection collects for them, as ingest does), then runs every job.</summary>
    private protected async Task SendAsync(params (string Player, DateTimeOffset At, string Type, JsonObject Data)[] events)
    {
        var projections = new ProjectionSet([new LeaderboardProjection(S.Events, _registry)]);
        var records = events.Select(e => new EventRecord(Org, Game, "src-1", $"e-{++_events}", e.Type, e.At, e.Player, "sess-1", null, e.Data.ToJsonString(),
            null, null, null, "standard", projections.JobsFor(new ProjectionEvent(Org, Game, e.Type, e.Data, null)))).ToList();
        var directory = events.Select(e => e.Player).Distinct().Select(p => new DirectoryEntry(Org, p, p + "@school.example")).ToList();
        await S.Events.WriteAsync([new WriteBatch(records, [], directory)], None);
        var runner = new JobRunner(S.Jobs, projections, Options.Create(new JobOptions()), Clock, NullLogger<JobRunner>.Instance,
            observers: [new LeaderboardCommitObserver(Boards is RedisOnlyBoards only ? only.Mirror : Boards, _registry, Clock)]);
        while (await runner.RunOnceAsync("w-1", None) > 0)
        {
        }
    }

    private protected static (string, DateTimeOffset, string, JsonObject) Round(string player, DateTimeOffset at, double points) =>
        (player, at, "round_done", new JsonObject { ["points"] = points });

    private protected static (string, DateTimeOffset, string, JsonObject) Quest(string player, DateTimeOffset at, string type, string quest = "q1") =>
        (player, at, type, new JsonObject { ["quest"] = quest });

    private Task<BoardPage> ReadAsync(string board, DateTimeOffset now, string? period = null, int? limit = null, string? cursor = null, Caller? caller = null, string? scope = null) =>
        Reader.ReadBoardAsync(caller ?? Admin, Game, board, caller is null or Caller.Admin ? Org : null, scope, period, limit, cursor, now, None);

    private static (long Rank, string? Player, double Score)[] Rows(BoardPage board) => [.. board.Entries.Select(e => (e.Rank, e.PlayerKey, e.Score))];

    private static (long Rank, string? Player, double Score)[] Expect(params (long Rank, string? Player, double Score)[] rows) => rows;

    [SkippableFact]
    public async Task Issue_13_ties_go_to_the_earlier_achiever_and_equal_score_and_time_share_a_rank_the_next_skipping()
    {
        await SendAsync(Round(Pa, T(1), 50), Round(Pb, T(2), 70), Round(Pc, T(0), 50), Round(Pd, T(1), 50), Round(Pe, T(0), 10));
        await SendAsync(Round(Pa, T(5), 50), Round(Pa, T(6), 40), Round(Pc, T(7), 20));

        var board = await ReadAsync("high", Now);

        Assert.Equal(Expect((1, Pb, 70), (2, Pc, 50), (3, Pa, 50), (3, Pd, 50), (5, Pe, 10)), Rows(board));
        Assert.Equal(T(1), board.Entries[2].At);  // equalling one's best later, or doing worse, keeps the time it was first reached
        Assert.Equal(("High score", "higher", "org"), (board.Title, board.Order, board.Scope));
        Assert.Null(board.NextCursor);
    }

    [SkippableFact]
    public async Task Issue_13_a_cursor_taken_before_new_scores_pages_on_from_where_it_was()
    {
        await SendAsync(Round(Pa, T(0), 90), Round(Pb, T(0), 80), Round(Pc, T(0), 70), Round(Pd, T(0), 60), Round(Pe, T(0), 50));
        var first = await ReadAsync("high", Now, limit: 2);

        await SendAsync(Round(Pe, T(10), 100), Round(Pf, T(10), 65), Round(Pc, T(11), 85));
        var second = await ReadAsync("high", Now, limit: 2, cursor: first.NextCursor);

        Assert.Equal(Expect((1, Pa, 90), (2, Pb, 80)), Rows(first));
        Assert.NotNull(first.NextCursor);
        Assert.DoesNotContain(Pb, first.NextCursor!, StringComparison.Ordinal);
        // After Ben (80): Fay's 65 came in between, Eve jumped to the top and Cy above Ben: neither is repeated or skipped wrongly.
        Assert.Equal(Expect((5, Pf, 65), (6, Pd, 60)), Rows(second));
        Assert.Null(second.NextCursor);
    }

    [SkippableFact]
    public async Task Issue_13_a_cursor_from_another_board_or_scope_or_made_up_is_a_400()
    {
        await SendAsync(Round(Pa, T(0), 9), Round(Pb, T(0), 8));
        var first = await ReadAsync("high", Now, limit: 1);

        var other = await Assert.ThrowsAsync<LeaderboardRequestException>(() => ReadAsync("monthly_latest", Now, limit: 1, cursor: first.NextCursor));
        var forged = await Assert.ThrowsAsync<LeaderboardRequestException>(() => ReadAsync("high", Now, limit: 1, cursor: "AAAA" + first.NextCursor![4..]));

        Assert.Equal((400, 400), (other.Status, forged.Status));
        Assert.Contains("'cursor'", other.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Issue_13_a_weekly_board_starts_a_new_period_on_monday_and_keeps_the_previous_readable()
    {
        var monday = new DateTimeOffset(2025, 3, 3, 0, 0, 0, TimeSpan.Zero);
        await SendAsync(Round(Pa, monday.AddTicks(-10), 1), Round(Pa, monday.AddDays(-3), 1), Round(Pb, monday, 1), Round(Pa, monday.AddHours(5), 1));

        var current = await ReadAsync("weekly_rounds", monday.AddHours(12));
        var previous = await ReadAsync("weekly_rounds", monday.AddHours(12), period: "previous");
        var nextWeek = await ReadAsync("weekly_rounds", monday.AddDays(7));
        var nextWeeksPrevious = await ReadAsync("weekly_rounds", monday.AddDays(7), period: "previous");

        Assert.Equal(Expect((1, Pb, 1), (2, Pa, 1)), Rows(current));
        Assert.Equal(new BoardPeriod("current", monday, monday.AddDays(7)), current.Period);
        Assert.Equal(Expect((1, Pa, 2)), Rows(previous));
        Assert.Equal(new BoardPeriod("previous", monday.AddDays(-7), monday), previous.Period);
        Assert.Empty(nextWeek.Entries);
        Assert.Equal(Rows(current), Rows(nextWeeksPrevious));
    }

    [SkippableFact]
    public async Task Issue_13_a_daily_board_resets_at_local_midnight_across_a_daylight_saving_change()
    {
        // Los Angeles moved to PDT on 2025-03-09: that day began at 08:00 UTC (PST), the next at 07:00 UTC (PDT).
        var march10 = new DateTimeOffset(2025, 3, 10, 7, 0, 0, TimeSpan.Zero);
        await SendAsync(Round(Pa, march10.AddMinutes(-30), 5), Round(Pa, march10.AddMinutes(30), 7), Round(Pb, march10.AddHours(-23), 3),
            Round(Pb, march10.AddHours(-23).AddMinutes(-1), 4));

        var current = await ReadAsync("daily_total", march10.AddHours(5));
        var previous = await ReadAsync("daily_total", march10.AddHours(5), period: "previous");

        Assert.Equal(Expect((1, Pa, 7)), Rows(current));
        Assert.Equal(new BoardPeriod("current", march10, march10.AddHours(24)), current.Period);
        Assert.Equal(Expect((1, Pa, 5), (2, Pb, 3)), Rows(previous));  // Ben's 4 was at 23:59 PST on the 8th
        Assert.Equal(new BoardPeriod("previous", march10.AddHours(-23), march10), previous.Period);
    }

    [SkippableFact]
    public async Task Issue_13_a_monthly_latest_board_keeps_the_last_value_of_each_month()
    {
        var april = new DateTimeOffset(2025, 4, 1, 0, 0, 0, TimeSpan.Zero);
        await SendAsync(Round(Pa, april.AddDays(-2), 30), Round(Pa, april.AddDays(-1), 10), Round(Pa, april.AddDays(1), 20));

        var current = await ReadAsync("monthly_latest", april.AddDays(3));
        var previous = await ReadAsync("monthly_latest", april.AddDays(3), period: "previous");

        Assert.Equal(Expect((1, Pa, 20)), Rows(current));
        Assert.Equal(Expect((1, Pa, 10)), Rows(previous));
        Assert.Equal(new BoardPeriod("previous", new DateTimeOffset(2025, 3, 1, 0, 0, 0, TimeSpan.Zero), april), previous.Period);
    }

    [SkippableFact]
    public async Task Issue_13_incr_by_0_lists_players_at_0_in_the_order_they_first_played()
    {
        await SendAsync(Round(Pb, T(3), 5), Round(Pa, T(1), 5), Round(Pb, T(4), 5), Round(Pa, T(9), 5));

        var board = await ReadAsync("zero", Now);

        Assert.Equal(Expect((1, Pa, 0), (2, Pb, 0)), Rows(board));
        Assert.Equal([T(1), T(3)], board.Entries.Select(e => e.At));
        var never = await Assert.ThrowsAsync<LeaderboardRequestException>(() => ReadAsync("zero", Now, period: "previous"));
        Assert.Equal(400, never.Status);
        Assert.Equal(new BoardPeriod("current", null, null), board.Period);
    }

    [SkippableFact]
    public async Task Issue_13_a_lower_is_better_board_ranks_the_quickest_first_and_keeps_each_players_best()
    {
        await SendAsync(Quest(Pa, T(0), "quest_started"), Quest(Pa, T(2), "quest_done"), Quest(Pb, T(0), "quest_started"), Quest(Pb, T(1.5), "quest_done"),
            Quest(Pc, T(0), "quest_done"), Quest(Pd, T(0), "quest_started", "q2"), Quest(Pd, T(0.5), "quest_done"));
        var before = await ReadAsync("fastest", Now);

        await SendAsync(Quest(Pa, T(10), "quest_started"), Quest(Pa, T(11), "quest_done"), Quest(Pb, T(20), "quest_started"), Quest(Pb, T(25), "quest_done"));
        var after = await ReadAsync("fastest", Now);

        Assert.Equal(Expect((1, Pb, 90), (2, Pa, 120)), Rows(before));  // no start (Cy) or another quest's start (Dee): no time
        Assert.Equal(Expect((1, Pa, 60), (2, Pb, 90)), Rows(after));
        Assert.Equal("lower", after.Order);
    }

    [SkippableFact]
    public async Task Issue_13_a_counter_board_follows_the_state_counter()
    {
        var gem = (string p, DateTimeOffset at, int n) => (p, at, "gem_found", new JsonObject { ["n"] = n });
        await SendAsync(gem(Pa, T(0), 2), gem(Pa, T(1), 3), gem(Pb, T(0), 4));

        var board = await ReadAsync("gems", Now);

        Assert.Equal(Expect((1, Pa, 5), (2, Pb, 4)), Rows(board));
    }

    [SkippableFact]
    public async Task Issue_13_a_player_who_opted_out_of_leaderboards_is_left_out_and_not_counted()
    {
        await SendAsync(Round(Pa, T(0), 90), Round(Pb, T(0), 80), Round(Pc, T(0), 70));

        await Boards.SetOptOutAsync(Org, Pa, optedOut: true, Now, None);
        var without = await ReadAsync("high", Now);
        var own = await Reader.ReadPlayerAsync(Admin, Game, "high", Pa, null, null, 1, Now, None);
        await Boards.SetOptOutAsync(Org, Pa, optedOut: true, Now, None);
        var optedOut = await Boards.IsOptedOutAsync(Org, Pa, None);
        await Boards.SetOptOutAsync(Org, Pa, optedOut: false, Now, None);
        var back = await ReadAsync("high", Now);

        Assert.Equal(Expect((1, Pb, 80), (2, Pc, 70)), Rows(without));
        Assert.Equal((null, 0, 0), (own.Player, own.Above.Count, own.Below.Count));
        Assert.True(optedOut);
        Assert.False(await Boards.IsOptedOutAsync(Org, Pa, None));
        Assert.Equal(Expect((1, Pa, 90), (2, Pb, 80), (3, Pc, 70)), Rows(back));
    }

    [SkippableFact]
    public async Task Issue_13_names_and_keys_only_for_players_in_the_callers_scope_others_get_a_stable_neutral_label()
    {
        await SendAsync(Round(Pa, T(0), 90), Round(Pb, T(0), 80), Round(Pc, T(0), 70));
        var group = new GroupRecord("class-1", Org, "Class 1", Game, ["t-1"]);
        Assert.True(await Store.Groups.UpsertGroupAsync(group, None));
        await Store.Groups.ReplaceMembersAsync(group.Id, Org, [new DirectoryEntry(Org, Pa, "ada@school.example"), new DirectoryEntry(Org, Pb, "ben@school.example")],
            ["Ada L.", "Ben K."], lockNames: false, None);
        var teacher = new Caller.Reader("k-t", Roles.Teacher, Org, ["t-1"], null);
        var student = new Caller.Reader("k-s", Roles.Student, Org, [], Pb);
        var otherTeacher = new Caller.Reader("k-o", Roles.Teacher, Org, ["t-2"], null);

        var asTeacher = await ReadAsync("high", Now, caller: teacher);
        var again = await ReadAsync("high", Now, caller: teacher);
        var asStudent = await ReadAsync("high", Now, caller: student);
        var asClass = await ReadAsync("high", Now, caller: teacher, scope: "group:class-1");
        var around = await Reader.ReadPlayerAsync(teacher, Game, "high", Pb, null, null, 1, Now, None);
        var outside = await Assert.ThrowsAsync<LeaderboardRequestException>(() => Reader.ReadPlayerAsync(teacher, Game, "high", Pc, null, null, 1, Now, None));
        var noClass = await Assert.ThrowsAsync<LeaderboardRequestException>(() => ReadAsync("high", Now, caller: otherTeacher));
        var otherGroup = await Assert.ThrowsAsync<LeaderboardRequestException>(() => ReadAsync("high", Now, caller: student, scope: "group:class-1"));

        var label = Reader.LabelOf(Org, Pc);
        Assert.Equal([(1L, (string?)Pa, "Ada L."), (2, Pb, "Ben K."), (3, null, label)], asTeacher.Entries.Select(e => (e.Rank, e.PlayerKey, e.DisplayName)));
        Assert.Matches("^Player [0-9a-f]{6}$", label);
        Assert.DoesNotContain(Pc["p1_".Length..], label, StringComparison.Ordinal);
        Assert.Equal(label, again.Entries[2].DisplayName);
        Assert.Equal([(1L, (string?)null, Reader.LabelOf(Org, Pa)), (2, Pb, "Ben K."), (3, null, label)], asStudent.Entries.Select(e => (e.Rank, e.PlayerKey, e.DisplayName)));
        Assert.Equal(Expect((1, Pa, 90), (2, Pb, 80)), Rows(asClass));
        Assert.Equal(("group:class-1", 2L), (asClass.Scope, around.Player!.Rank));
        Assert.Equal([Pa], around.Above.Select(e => e.PlayerKey));
        Assert.Equal([(3L, (string?)null, label)], around.Below.Select(e => (e.Rank, e.PlayerKey, e.DisplayName)));
        Assert.Equal((404, 404, 404), (outside.Status, noClass.Status, otherGroup.Status));
    }

    [SkippableFact]
    public async Task Issue_13_a_players_rank_comes_with_the_n_above_and_below()
    {
        await SendAsync(Round(Pa, T(0), 90), Round(Pb, T(0), 80), Round(Pc, T(0), 70), Round(Pd, T(0), 60), Round(Pe, T(0), 50), Round(Pf, T(0), 40));

        var middle = await Reader.ReadPlayerAsync(Admin, Game, "high", Pc, null, null, 2, Now, None);
        var top = await Reader.ReadPlayerAsync(Admin, Game, "high", Pa, null, null, 2, Now, None);
        var alone = await Reader.ReadPlayerAsync(Admin, Game, "high", Pf, null, null, 0, Now, None);
        var tooMany = await Assert.ThrowsAsync<LeaderboardRequestException>(() => Reader.ReadPlayerAsync(Admin, Game, "high", Pf, null, null, 51, Now, None));

        Assert.Equal((3L, 70.0), (middle.Player!.Rank, middle.Player.Score));
        Assert.Equal([(1L, Pa), (2, Pb)], middle.Above.Select(e => (e.Rank, e.PlayerKey!)));
        Assert.Equal([(4L, Pd), (5, Pe)], middle.Below.Select(e => (e.Rank, e.PlayerKey!)));
        Assert.Empty(top.Above);
        Assert.Equal([Pb, Pc], top.Below.Select(e => e.PlayerKey));
        Assert.Equal((6L, 0, 0), (alone.Player!.Rank, alone.Above.Count, alone.Below.Count));
        Assert.Equal(400, tooMany.Status);
    }

    [SkippableFact]
    public async Task Issue_13_scores_sent_one_by_one_out_of_order_equal_a_recompute_of_the_whole_history()
    {
        var events = new[]
        {
            Round(Pa, T(5), 30), Round(Pb, T(1), 30), Round(Pa, T(2), 10), Round(Pc, T(3), 50), Round(Pb, T(4), 5), Round(Pc, T(0), 60), Round(Pa, T(7), 30),
        };
        foreach (var e in events)
        {
            await SendAsync(e);
        }
        var incremental = new List<BoardPage>();
        foreach (var board in new[] { "high", "daily_total", "weekly_rounds", "monthly_latest", "zero" })
        {
            incremental.Add(await ReadAsync(board, T(8)));
        }

        // The same history in one batch, on a fresh store.
        _fresh = await MigratedStoreAsync();
        await SendAsync(events);
        foreach (var (board, expected) in new[] { "high", "daily_total", "weekly_rounds", "monthly_latest", "zero" }.Zip(incremental))
        {
            var whole = await ReadAsync(board, T(8));
            Assert.Equal(expected.Entries, whole.Entries);
        }
        Assert.Equal(Expect((1, Pc, 60), (2, Pb, 30), (3, Pa, 30)), Rows(incremental[0]));
    }

    [SkippableFact]
    public async Task Issue_13_a_board_the_catalog_drops_loses_its_scores_at_the_next_recompute()
    {
        await SendAsync(Round(Pa, T(0), 90));
        File.WriteAllText(_catalogs.Combine("game-x.yaml"), Catalog.Replace("  - id: high\n", "  - id: high2\n", StringComparison.Ordinal));
        Assert.Empty(_registry.Reload().Errors);

        await SendAsync(Round(Pa, T(1), 95));
        var gone = await Assert.ThrowsAsync<LeaderboardRequestException>(() => ReadAsync("high", Now));
        var renamed = await ReadAsync("high2", Now);

        Assert.Equal(404, gone.Status);
        Assert.Equal(Expect((1, Pa, 95)), Rows(renamed));
    }
}
