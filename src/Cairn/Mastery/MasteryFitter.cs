using System.Security.Cryptography;
using System.Text;
using Cairn.Catalogs;
using Cairn.Mastery.Storage;
using Cairn.Storage;

namespace Cairn.Mastery;

/// <summary>
/// <c>cairn mastery fit</c>: per standard, reads every player's observations from the event log (in event time order),
/// fits BKT on 80 % of the players (<see cref="BktFitter"/>), measures the AUC of its predictions on the other 20 % (chosen
/// by a hash of the playerKey, so the split is the same on every run), stores the parameters as the standard's next
/// version and queues a recompute of every row of the standard. The observations of one (org, game) are held in memory.
/// </summary>
internal sealed class MasteryFitter(IEventLog events, IJobQueue jobs, IMasteryStore store, Func<string, MasterySettings> settingsFor, TimeProvider time)
{
    /// <summary>Standards with fewer training players than this are not fitted.</summary>
    public const int DefaultMinPlayers = 10;

    public async Task<IReadOnlyList<StandardFitReport>> FitAsync(string? orgId, string? game, string? standardId, int minPlayers, CancellationToken cancellationToken)
    {
        var reports = new List<StandardFitReport>();
        foreach (var (org, g) in await store.ListOrgGamesAsync(orgId, game, cancellationToken))
        {
            var settings = settingsFor(g);
            // standard → player → answers, oldest first (the export's order is the replay's: timestamp, then arrival).
            var sequences = new Dictionary<string, Dictionary<string, List<bool>>>(StringComparer.Ordinal);
            await foreach (var e in events.ExportEventsAsync(new ExportFilter(org, null, g, null, null), cancellationToken))
            {
                if (e.PlayerKey is null)
                {
                    continue;
                }
                // The catalog's evidence as a recompute reads it: concept tags mapped, event rules first (points are not part of a fit).
                var history = new HistoryEvent(e.EventId, e.EventType, e.Timestamp, e.Data, e.Seq);
                var matched = settings.Evidence.Rules.Where(r => r.Event is not null && PatternMatcher.Matches(r.Event, e.EventType, e.Data)).ToList();
                foreach (var standard in MasteryEvidence.StandardsOf(e.EventType, e.Data, settings.Evidence).Concat(matched.SelectMany(r => r.Standards)).Distinct(StringComparer.Ordinal))
                {
                    if (standardId is not null && standard != standardId)
                    {
                        continue;
                    }
                    var threshold = settings.ThresholdFor(standard);
                    var observed = matched.Where(r => r.Standards.Contains(standard)).Select(r => MasteryEvidence.Observe(history, r, threshold)).FirstOrDefault(o => o is not null);
                    if ((observed ?? MasteryEvidence.Observe(history, standard, threshold, settings.Evidence)) is not { } o)
                    {
                        continue;
                    }
                    if (!sequences.TryGetValue(standard, out var byPlayer))
                    {
                        sequences[standard] = byPlayer = new Dictionary<string, List<bool>>(StringComparer.Ordinal);
                    }
                    if (!byPlayer.TryGetValue(e.PlayerKey, out var answers))
                    {
                        byPlayer[e.PlayerKey] = answers = [];
                    }
                    answers.Add(o.Correct);
                }
            }
            var fits = new List<(FittedParameters Fit, int Train, int Test)>();
            foreach (var (standard, byPlayer) in sequences.OrderBy(s => s.Key, StringComparer.Ordinal))
            {
                var train = byPlayer.Where(p => !HeldOut(p.Key)).Select(p => p.Value.ToArray()).ToList();
                var test = byPlayer.Where(p => HeldOut(p.Key)).Select(p => p.Value.ToArray()).ToList();
                if (train.Count < minPlayers)
                {
                    reports.Add(new StandardFitReport(org, g, standard, null, train.Count, test.Count, 0,
                        $"{train.Count} training player(s); at least {minPlayers} are needed (--min-players)"));
                    continue;
                }
                var fit = BktFitter.Fit(train, settings.ParametersFor(standard));
                fits.Add((new FittedParameters(org, g, standard, 0, fit.Parameters, fit.LogLikelihood, BktFitter.Auc(test, fit.Parameters),
                    train.Count, train.Sum(s => s.Length), time.GetUtcNow()), train.Count, test.Count));
            }
            if (fits.Count == 0)
            {
                continue;
            }
            var stored = await store.AddParametersAsync([.. fits.Select(f => f.Fit)], cancellationToken);
            for (var i = 0; i < stored.Count; i++)
            {
                var fit = stored[i];
                var players = await store.ListPlayersAsync(org, g, fit.StandardId, cancellationToken);
                var queued = players.Count == 0 ? 0 : await jobs.EnqueueAsync(
                    [.. players.Select(k => new QueuedJob(MasteryProjection.Name, org, g, k, fit.StandardId, null))], time.GetUtcNow(), cancellationToken);
                reports.Add(new StandardFitReport(org, g, fit.StandardId, fit, fits[i].Train, fits[i].Test, queued, null));
            }
        }
        return reports;
    }

    /// <summary>One player in five is held out, by the playerKey's hash: the same players on every run.</summary>
    public static bool HeldOut(string playerKey) => SHA256.HashData(Encoding.UTF8.GetBytes(playerKey))[0] % 5 == 0;
}
