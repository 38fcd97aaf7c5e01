using Cairn.Progress.Storage;
using Cairn.Catalogs;
using Cairn.Storage;
using Microsoft.Extensions.Options;

namespace Cairn.Dashboard;

/// <summary>Reads a class for the pages: the matrix, and per student their totals, latest event and attention reasons.</summary>
internal sealed class ClassViewReader(MatrixReader matrices, IProgressStore progress, IEventLog events, CatalogRegistry catalogs, IOptions<DashboardOptions> options, TimeProvider time)
{

    public async Task<ClassView> ReadAsync(GroupRecord group, CancellationToken cancellationToken)
    {
        var matrix = await matrices.ReadAsync(group, cancellationToken);
        var catalog = catalogs.Current.For(group.Game);
        var rows = await progress.GetGroupProgressAsync(group, cancellationToken);
        var typical = matrix.Points
            .Select(p => Attention.Typical(
                rows.Where(r => r.PointId == p.Id && r.DurationSeconds is not null).Select(r => r.DurationSeconds!.Value),
                catalog?.PointsById.GetValueOrDefault(p.Id)?.Green.DurationMax))
            .ToList();

        // Each member's latest event in this game: one indexed read per member (newest first, one item).
        var latest = new StoredEvent?[matrix.Players.Count];
        for (var i = 0; i < latest.Length; i++)
        {
            var page = await events.GetTimelineAsync(new TimelineQuery(matrix.Players[i].PlayerKey, null, null, 1, null, [group.Game]), cancellationToken);
            latest[i] = page.Items.Count > 0 ? page.Items[0] : null;
        }
        var lastReceived = latest.Max(e => e?.ReceivedAt);
        var classClock = latest.Max(e => e?.Timestamp);
        var o = options.Value;
        var active = lastReceived is { } received && time.GetUtcNow() - received <= TimeSpan.FromMinutes(o.InactiveMinutes);
        var students = matrix.Players.Select((_, i) =>
        {
            var cells = matrix.Cells[i];
            // The points the student started and has not completed, since when (the progress projection's "started" cells).
            var started = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
            for (var q = 0; q < cells.Count; q++)
            {
                if (cells[q].Status == ProgressStatus.Started && cells[q].StartedAt is { } since)
                {
                    started[matrix.Points[q].Id] = since;
                }
            }
            var reasons = Attention.For(cells, latest[i]?.Timestamp, started, matrix.Points, typical, classClock, active, o);
            return new StudentSummary(cells.Count(c => c.Status == "green"), cells.Count(c => c.Status == "yellow"), latest[i]?.Timestamp, reasons);
        }).ToList();
        return new ClassView(matrix, students, typical, lastReceived, active);
    }
}
