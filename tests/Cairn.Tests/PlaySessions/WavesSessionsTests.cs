using System.Globalization;
using Cairn.Import;
using Cairn.Jobs;
using Cairn.PlaySessions;
using Cairn.PlaySessions.Storage;
using Cairn.Tests.Support;

namespace Cairn.Tests.PlaySessions;

/// <summary>
/// The real WAVES export imported with the repository's mapping and catalog: its sessions are checked against what this
/// test cuts from the TSV itself (the default 30-minute gap and 24-hour maximum; WAVES sends no session_start or session_end).
/// </summary>
public sealed class WavesSessionsTests
{
    /// <summary>Per player (session_id), the (start, end) of each session: sorted times, cut where the next is 30 minutes or more later.</summary>
    private static Dictionary<string, List<(DateTimeOffset Start, DateTimeOffset End)>> Derive(IEnumerable<Dictionary<string, string>> rows)
    {
        var sessions = new Dictionary<string, List<(DateTimeOffset, DateTimeOffset)>>(StringComparer.Ordinal);
        foreach (var player in rows.DistinctBy(r => (r["session_id"], r["index"])).GroupBy(r => r["session_id"]))
        {
            var times = player.Select(r => DateTimeOffset.Parse(r["timestamp"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal))
                .Order().ToList();
            var list = new List<(DateTimeOffset, DateTimeOffset)>();
            var start = times[0];
            for (var i = 1; i <= times.Count; i++)
            {
                if (i == times.Count || times[i] - times[i - 1] >= TimeSpan.FromMinutes(30) || times[i] - start > TimeSpan.FromHours(24))
                {
                    list.Add((start, times[i - 1]));
                    if (i < times.Count)
                    {
                        start = times[i];
                    }
                }
            }
            sessions[player.Key] = list;
        }
        return sessions;
    }

    [SkippableFact]
    public async Task Issue_15_waves_import_gives_the_sessions_of_its_49_players()
    {
        var file = SharedData.RequireWavesSample();
        var expected = Derive(Tsv.Parse(await File.ReadAllTextAsync(file)));
        var mapping = ImportMapping.Load(Path.Combine(SharedData.RepositoryRoot(), "mappings", "waves.yaml"));
        await using var h = await ProgressHarness.StartAsync("waves.yaml");

        await new Importer(h.Pipeline, h.Store.Events).RunAsync(new ImportRequest(file, ProgressHarness.Org, mapping, null, 1000), null, CancellationToken.None);
        await h.DrainAsync(runner: h.Runner(options: new JobOptions { BatchSize = 256 }));

        var store = h.Store.Projection<IPlaySessionStore>(SessionsProjection.Name);
        Assert.Equal(49, expected.Count);
        foreach (var (player, wanted) in expected)
        {
            var rows = await store.GetPlayerSessionsAsync(h.KeyOf(player), "waves", CancellationToken.None);
            Assert.Equal(wanted, rows.Select(r => (r.Session.Start, r.Session.End)));
        }
        var all = await store.GetSummaryRowsAsync(ProgressHarness.Org, "waves", DateTimeOffset.Parse("2023-01-01T00:00:00Z", CultureInfo.InvariantCulture),
            DateTimeOffset.Parse("2023-12-31T00:00:00Z", CultureInfo.InvariantCulture), null, CancellationToken.None);
        var durations = expected.Values.SelectMany(l => l).Select(s => (s.End - s.Start).TotalSeconds).Order().ToList();
        var summary = SessionSummary.Of(all);
        Assert.Equal((durations.Count, 49), (summary.Sessions, summary.Players));
        Assert.Equal(durations[(int)Math.Ceiling(durations.Count * 0.5) - 1], summary.MedianSeconds, 6);
        Assert.Equal(durations[(int)Math.Ceiling(durations.Count * 0.9) - 1], summary.P90Seconds, 6);
    }
}
