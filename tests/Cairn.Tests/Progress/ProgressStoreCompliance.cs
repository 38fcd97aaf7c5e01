using Cairn.Progress.Storage;
using Cairn.Storage;
using Cairn.Tests.Storage;
using Cairn.Tests.Support;

namespace Cairn.Tests.Progress;

/// <summary>
/// The progress projection's store (<see cref="IProgressStore"/>) and its writer: cells written when the job queue
/// completes a progress job, their change log, the reads of the matrix and the stream, and stale recomputes.
/// Every store runs all of it: a subclass only says which store (<see cref="StoreMaker"/>).
/// </summary>
public abstract class ProgressStoreCompliance : StoreFacts
{
    private protected ProgressStoreCompliance(StoreMaker maker)
        : base(maker)
    {
    }

    [SkippableFact]
    public async Task EnqueueStaleRecomputes_queues_the_rows_of_a_point_computed_with_another_score_version()
    {
        await MaterializeAsync(Row(Ada, "P1", version: "v1"));
        await MaterializeAsync(Row(Ben, "P1", version: "v1"));
        await MaterializeAsync(Row(Cy, "P1", version: "v2"));
        await MaterializeAsync(Row(Ada, "P2", version: "v1"));
        await MaterializeAsync(Row(Ada, "P1", version: "v1", game: OtherGame));

        var toV1 = await Store.Progress().EnqueueStaleRecomputesAsync(Game, "P1", "v1", Now, None);
        var toV2 = await Store.Progress().EnqueueStaleRecomputesAsync(Game, "P1", "v2", Now, None);

        Assert.Equal(1, toV1);
        Assert.Equal(2, toV2);
        var jobs = await ClaimAsync("w", max: 100);
        Assert.Equal([(Game, Ada, "P1"), (Game, Ben, "P1"), (Game, Cy, "P1")],
            jobs.Select(j => (j.Game, j.PlayerKey, j.Key)).Order());
    }

    [SkippableFact]
    public async Task GetPlayerProgress_returns_a_players_rows_by_game_and_point_for_every_game_or_one()
    {
        var rows = new[]
        {
            Row(Ada, "P2"),
            Row(Ada, "P1", status: "yellow", score: null) with { DurationSeconds = null, Count = null },
            Row(Ada, "P1", game: OtherGame),
            Row(Ben, "P1"),
        };
        foreach (var row in rows)
        {
            await MaterializeAsync(row);
        }

        var all = await Store.Progress().GetPlayerProgressAsync(Ada, null, None);
        var one = await Store.Progress().GetPlayerProgressAsync(Ada, OtherGame, None);
        var none = await Store.Progress().GetPlayerProgressAsync(Cy, null, None);

        Assert.Equal([rows[1], rows[0], rows[2]], all);
        Assert.Equal([rows[2]], one);
        Assert.Empty(none);
    }

    [SkippableFact]
    public async Task Completing_a_job_logs_a_change_only_when_a_visible_field_changed()
    {
        var group = await GroupWithAsync(Ada);
        var row = Row(Ada, "P1");
        await MaterializeAsync(row);
        var first = await Store.Progress().GetLatestChangeAsync(None);

        Clock.Advance(TimeSpan.FromMinutes(1));
        await MaterializeAsync(row with { UpdatedAt = Now });
        var unchanged = await Store.Progress().GetLatestChangeAsync(None);
        var kept = Assert.Single(await Store.Progress().GetPlayerProgressAsync(Ada, null, None));
        Clock.Advance(TimeSpan.FromMinutes(1));
        await MaterializeAsync(row with { Score = 43, UpdatedAt = Now });
        var scored = await Store.Progress().GetLatestChangeAsync(None);
        Clock.Advance(TimeSpan.FromMinutes(1));
        await MaterializeAsync(row with { Score = 43, TriggerEventId = "e-9", UpdatedAt = Now });
        var retriggered = await Store.Progress().GetLatestChangeAsync(None);

        Assert.True(first > 0);
        Assert.Equal(first, unchanged);
        Assert.Equal(row, kept);
        Assert.True(scored > first);
        Assert.True(retriggered > scored);
        Assert.Equal([first, scored, retriggered], (await Store.Progress().GetGroupChangesAsync(group, 0, 100, None)).Select(c => c.Seq));
        Assert.Equal(Now, Assert.Single(await Store.Progress().GetPlayerProgressAsync(Ada, null, None)).UpdatedAt);
    }

    [SkippableFact]
    public async Task Completing_a_job_with_no_row_removes_the_row_and_logs_a_removal()
    {
        var group = await GroupWithAsync(Ada, Ben);
        await MaterializeAsync(Row(Ada, "P1"));
        var before = await Store.Progress().GetLatestChangeAsync(None);

        await MaterializeAsync(null, Ada, "P1");
        var removed = await Store.Progress().GetLatestChangeAsync(None);
        await MaterializeAsync(null, Ben, "P1");
        var nothingToRemove = await Store.Progress().GetLatestChangeAsync(None);

        Assert.Empty(await Store.Progress().GetPlayerProgressAsync(Ada, null, None));
        Assert.True(removed > before);
        Assert.Equal(removed, nothingToRemove);
        var changes = await Store.Progress().GetGroupChangesAsync(group, before, 100, None);
        Assert.Equal([new CellChange(removed, Ada, "P1", null, null, null)], changes);
    }

    [SkippableFact]
    public async Task GetGroupProgress_returns_the_members_rows_of_the_groups_org_and_game()
    {
        var group = await GroupWithAsync(Ada, Ben);
        var rows = new[] { Row(Ada, "P1"), Row(Ada, "P2", status: "yellow"), Row(Ben, "P1", score: 7) };
        foreach (var row in rows)
        {
            await MaterializeAsync(row);
        }
        await MaterializeAsync(Row(Cy, "P1"));
        await MaterializeAsync(Row(Ada, "P3", game: OtherGame));
        await MaterializeAsync(Row(Ben, "P3", org: OtherOrg));

        var progress = await Store.Progress().GetGroupProgressAsync(group, None);

        Assert.Equal(rows.OrderBy(r => (r.PlayerKey, r.PointId)), progress.OrderBy(r => (r.PlayerKey, r.PointId)));
    }

    [SkippableFact]
    public async Task GetLatestChange_is_zero_on_an_empty_store_and_moves_with_every_change()
    {
        var empty = await Store.Progress().GetLatestChangeAsync(None);

        await MaterializeAsync(Row(Ada, "P1"));
        var one = await Store.Progress().GetLatestChangeAsync(None);
        await MaterializeAsync(Row(Ben, "P1", org: OtherOrg, game: OtherGame));
        var two = await Store.Progress().GetLatestChangeAsync(None);

        Assert.Equal(0, empty);
        Assert.True(one > 0);
        Assert.True(two > one);
    }

    [SkippableFact]
    public async Task GetGroupChanges_returns_members_changes_after_a_seq_oldest_first_with_their_current_state()
    {
        var group = await GroupWithAsync(Ada, Ben);
        await MaterializeAsync(Row(Ada, "P1", status: "yellow", score: 1));
        var cursor = await Store.Progress().GetLatestChangeAsync(None);
        await MaterializeAsync(Row(Ben, "P1", score: 5));
        await MaterializeAsync(Row(Cy, "P1"));
        await MaterializeAsync(Row(Ada, "P2", game: OtherGame));
        await MaterializeAsync(Row(Ada, "P2", org: OtherOrg));
        await MaterializeAsync(Row(Ada, "P1", status: "green", score: 2, completedAt: T0.AddHours(1)));
        await MaterializeAsync(Row(Ben, "P2"));
        await MaterializeAsync(null, Ben, "P1");

        var changes = await Store.Progress().GetGroupChangesAsync(group, cursor, 100, None);
        var firstTwo = await Store.Progress().GetGroupChangesAsync(group, cursor, 2, None);
        var afterThem = await Store.Progress().GetGroupChangesAsync(group, firstTwo[^1].Seq, 100, None);

        Assert.Equal(
            [(Ben, "P1", null, null, null), (Ada, "P1", "green", 2, T0.AddHours(1)), (Ben, "P2", "green", 42, T0.AddMinutes(5)), (Ben, "P1", null, null, null)],
            changes.Select(c => (c.PlayerKey, c.PointId, c.Status, c.Score, c.CompletedAt)));
        Assert.True(changes.Zip(changes.Skip(1)).All(p => p.First.Seq < p.Second.Seq));
        Assert.True(changes[0].Seq > cursor);
        Assert.Equal(changes.Take(2), firstTwo);
        Assert.Equal(changes.Skip(2), afterThem);
    }

    [SkippableFact]
    public async Task Issue_10_ExportProgress_streams_rows_by_game_player_and_point_filtered_by_org_players_game_and_completion_window()
    {
        var rows = new[]
        {
            Row(Ben, "P1", completedAt: T0.AddHours(2)),
            Row(Ada, "P2", completedAt: T0),
            Row(Ada, "P1", status: "yellow", score: null, completedAt: T0.AddHours(1)),
            Row(Ada, "P1", game: OtherGame, completedAt: T0),
            Row(Cy, "P1", org: OtherOrg, completedAt: T0),
        };
        foreach (var row in rows)
        {
            await MaterializeAsync(row);
        }

        async Task<ProgressRow[]> ExportAsync(ExportFilter filter) => [.. await Store.Progress().ExportProgressAsync(filter, None).ToListAsync()];

        Assert.Equal([rows[2], rows[1], rows[0], rows[4], rows[3]], await ExportAsync(new ExportFilter(null, null, null, null, null)));
        Assert.Equal([rows[2], rows[1], rows[0], rows[3]], await ExportAsync(new ExportFilter(Org, null, null, null, null)));
        Assert.Equal([rows[2], rows[1], rows[0]], await ExportAsync(new ExportFilter(Org, null, Game, null, null)));
        Assert.Equal([rows[2], rows[1], rows[3]], await ExportAsync(new ExportFilter(Org, [Ada], null, null, null)));
        Assert.Equal([rows[2]], await ExportAsync(new ExportFilter(Org, null, Game, T0.AddHours(1), T0.AddHours(2))));
        Assert.Empty(await ExportAsync(new ExportFilter("org-none", null, null, null, null)));
    }
}
