using System.Globalization;
using System.Text.Json.Nodes;
using Cairn.Import;
using Cairn.Jobs;
using Cairn.Tests.Support;

namespace Cairn.Tests.Progress;

/// <summary>
/// The real WAVES export imported with the repository's mapping and catalog: the progress rows are checked
/// against what this test derives from the TSV itself.
/// </summary>
public sealed class WavesProgressTests
{
    private sealed record Expected(string Session, int Level, string Status, int Failures, DateTimeOffset CompletedAt);

    /// <summary>
    /// Per (session, level): completed when a COMPLETE.0 exists; failures are the FAIL.0 events after the latest BEGIN.0
    /// before the first COMPLETE.0, up to it. Events at the same instant are ordered as the docs say, by arrival: the
    /// importer writes a file's rows in file order, so that is the order of the rows in the file (a stable sort by time).
    /// </summary>
    private static List<Expected> Derive(IEnumerable<Dictionary<string, string>> rows)
    {
        var byLevel = rows
            .DistinctBy(r => (r["session_id"], r["index"]))
            .Where(r => r["event_name"] is "BEGIN.0" or "COMPLETE.0" or "FAIL.0")
            .Select(r => (Session: r["session_id"], Level: JsonNode.Parse(r["event_data"])!["level"]!.GetValue<int>(), Name: r["event_name"], Time: r["timestamp"]))
            .GroupBy(e => (e.Session, e.Level));
        var expected = new List<Expected>();
        foreach (var group in byLevel)
        {
            var events = group.OrderBy(e => e.Time, StringComparer.Ordinal).ToList();
            var complete = events.FindIndex(e => e.Name == "COMPLETE.0");
            if (complete < 0)
            {
                // Begun and not completed: started, since the latest BEGIN.0.
                var latestBegin = events.FindLastIndex(e => e.Name == "BEGIN.0");
                if (latestBegin >= 0)
                {
                    var since = DateTimeOffset.ParseExact(events[latestBegin].Time, "yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
                    expected.Add(new Expected(group.Key.Session, group.Key.Level, "started", 0, since));
                }
                continue;
            }
            var begin = events.FindLastIndex(complete, e => e.Name == "BEGIN.0");
            var failures = events.Skip(begin + 1).Take(complete - begin).Count(e => e.Name == "FAIL.0");
            var at = DateTimeOffset.ParseExact(events[complete].Time, "yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
            expected.Add(new Expected(group.Key.Session, group.Key.Level, failures <= 3 ? "green" : "yellow", failures, at));
        }
        return expected;
    }

    [SkippableFact]
    public async Task Waves_import_gives_one_row_per_completed_level_green_with_at_most_three_failures()
    {
        var file = SharedData.RequireWavesSample();
        var expected = Derive(Tsv.Parse(await File.ReadAllTextAsync(file)));
        var mapping = ImportMapping.Load(Path.Combine(SharedData.RepositoryRoot(), "mappings", "waves.yaml"));
        await using var h = await ProgressHarness.StartAsync("waves.yaml");

        var summary = await new Importer(h.Pipeline, h.Store.Events).RunAsync(new ImportRequest(file, ProgressHarness.Org, mapping, null, 1000), null, CancellationToken.None);
        await h.DrainAsync(runner: h.Runner(options: new JobOptions { BatchSize = 256 }));

        Assert.Equal(0, summary.Rejected);
        Assert.Equal(0, h.JobRows());
        var rows = Database.Column(h.DatabasePath, "SELECT player_key || ' ' || point_id || ' ' || status || ' ' || count || ' ' || completed_at FROM progress_points WHERE status <> 'started';");
        var wanted = expected.Where(e => e.Status != "started").Select(e => $"{h.KeyOf(e.Session)} level-{e.Level:D2} {e.Status} {e.Failures} {ProgressHarness.Micros(e.CompletedAt)}").ToList();
        // Levels begun and not completed are started cells, since their latest BEGIN.0.
        var startedRows = Database.Column(h.DatabasePath, "SELECT player_key || ' ' || point_id || ' ' || started_at FROM progress_points WHERE status = 'started';");
        var startedWanted = expected.Where(e => e.Status == "started").Select(e => $"{h.KeyOf(e.Session)} level-{e.Level:D2} {ProgressHarness.Micros(e.CompletedAt)}").ToList();
        Assert.Equal(startedWanted.Order(StringComparer.Ordinal), startedRows.Order(StringComparer.Ordinal));
        Assert.NotEmpty(wanted);
        Assert.Equal(expected.Count(e => e.Status == "green"), Database.Scalar(h.DatabasePath, "SELECT COUNT(*) FROM progress_points WHERE status = 'green';"));
        Assert.Equal(expected.Count(e => e.Status == "yellow"), Database.Scalar(h.DatabasePath, "SELECT COUNT(*) FROM progress_points WHERE status = 'yellow';"));
        Assert.Contains(expected, e => e.Status == "yellow");
        Assert.Equal(wanted.Order(StringComparer.Ordinal), rows.Order(StringComparer.Ordinal));
        var struggled = expected.OrderByDescending(e => e.Failures).ThenBy(e => e.Session, StringComparer.Ordinal).ThenBy(e => e.Level).First();
        var cell = Assert.Single(await h.Store.Progress().GetPlayerProgressAsync(h.KeyOf(struggled.Session), "waves", CancellationToken.None), r => r.PointId == $"level-{struggled.Level:D2}");
        Assert.Equal(("yellow", struggled.Failures, (double?)struggled.Failures, struggled.CompletedAt), (cell.Status, cell.Count!.Value, cell.Score, cell.CompletedAt));
    }
}
