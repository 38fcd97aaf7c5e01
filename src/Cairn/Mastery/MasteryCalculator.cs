namespace Cairn.Mastery;

/// <summary>Replays one player's observations of one standard, in time order, through BKT.</summary>
internal static class MasteryCalculator
{
    /// <summary>The steps of the replay (pMastery starts at the prior).</summary>
    public static IReadOnlyList<MasteryStep> Replay(IReadOnlyList<MasteryObservation> observations, BktParameters p)
    {
        var steps = new List<MasteryStep>(observations.Count);
        var known = p.Prior;
        foreach (var o in observations)
        {
            var before = Bkt.PCorrect(known, p);
            known = Bkt.Update(known, o.Correct, p);
            steps.Add(new MasteryStep(o.At, o.EventId, o.EventType, o.Correct, o.Score, before, known));
        }
        return steps;
    }

    /// <summary>The row, or null without any observation.</summary>
    public static MasteryRow? Compute(
        string orgId, string game, string playerKey, string standardId, IReadOnlyList<MasteryObservation> observations, MasteryParameters parameters, DateTimeOffset now)
    {
        if (observations.Count == 0)
        {
            return null;
        }
        var steps = Replay(observations, parameters.Bkt);
        var p = steps[^1].PMasteryAfter;
        var scores = observations.Where(o => o.Score is not null).Select(o => o.Score!.Value).ToList();
        var last = observations[^1];
        return new MasteryRow(orgId, game, playerKey, standardId, p, parameters.Levels.LevelOf(p, observations.Count), observations.Count,
            observations.Count(o => o.Correct), scores.Count, scores.Count > 0 ? scores.Average() : null, scores.Count > 0 ? scores[^1] : null,
            observations[0].At, last.At, last.EventId, parameters.Version, now);
    }
}
