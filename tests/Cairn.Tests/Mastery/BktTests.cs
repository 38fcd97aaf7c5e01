using Cairn.Mastery;

namespace Cairn.Tests.Mastery;

/// <summary>The BKT update, the levels, and the parameter bounds.</summary>
public sealed class BktTests
{
    private static readonly BktParameters P = new(Prior: 0.3, Learn: 0.2, Guess: 0.25, Slip: 0.1);

    [Fact]
    public void Issue_12_a_correct_answer_applies_bayes_then_the_chance_to_learn()
    {
        // Posterior 0.3·0.9 / (0.3·0.9 + 0.7·0.25) = 0.27 / 0.445; then + (1 − posterior)·0.2.
        var posterior = 0.27 / 0.445;

        Assert.Equal(0.445, Bkt.PCorrect(0.3, P), 12);
        Assert.Equal(posterior + (1 - posterior) * 0.2, Bkt.Update(0.3, true, P), 12);
    }

    [Fact]
    public void Issue_12_a_wrong_answer_lowers_mastery_and_forgetting_pulls_it_down_further()
    {
        // Posterior 0.3·0.1 / (0.03 + 0.7·0.75) = 0.03 / 0.555.
        var posterior = 0.03 / 0.555;

        Assert.Equal(posterior + (1 - posterior) * 0.2, Bkt.Update(0.3, false, P), 12);
        // With forgetting, a correct answer at 0.9 (slip 0, guess 0.3): posterior 0.9 / 0.93, then kept with 0.95, learned with 0.2.
        var known = 0.9 / 0.93;
        Assert.Equal(known * 0.95 + (1 - known) * 0.2, Bkt.Update(0.9, true, P with { Slip = 0, Guess = 0.3, Forget = 0.05 }), 12);
    }

    [Theory]
    [InlineData(0.01)]
    [InlineData(0.3)]
    [InlineData(0.6)]
    [InlineData(0.99)]
    public void Issue_12_within_the_bounds_a_correct_answer_never_lowers_mastery(double pKnown)
    {
        foreach (var guess in new[] { 0.0, 0.15, BktParameters.MaxGuess })
        {
            foreach (var slip in new[] { 0.0, 0.15, BktParameters.MaxSlip })
            {
                var p = new BktParameters(0.2, 0.0, guess, slip);
                Assert.True(Bkt.Update(pKnown, true, p) >= pKnown - 1e-12, $"guess {guess} slip {slip}");
                Assert.True(Bkt.Update(pKnown, false, p) <= pKnown + 1e-12, $"guess {guess} slip {slip}");
            }
        }
    }

    [Theory]
    [InlineData(0.2, 0, "not started")]
    [InlineData(0.2, 1, "attempted")]
    [InlineData(0.5, 2, "familiar")]
    [InlineData(0.8, 2, "proficient")]
    [InlineData(0.95, 3, "mastered")]
    public void Issue_12_levels_follow_the_default_boundaries(double p, int observations, string level) =>
        Assert.Equal(level, MasteryLevels.Default.LevelOf(p, observations));

    [Theory]
    [InlineData(0.2, 0.1, 0.31, 0.1, "guess")]
    [InlineData(0.2, 0.1, 0.2, 0.5, "slip")]
    [InlineData(1.2, 0.1, 0.2, 0.1, "prior")]
    public void Issue_12_parameters_outside_the_bounds_are_refused(double prior, double learn, double guess, double slip, string named) =>
        Assert.Contains(named, new BktParameters(prior, learn, guess, slip).Problem(), StringComparison.Ordinal);

    [Fact]
    public void Issue_12_the_replay_starts_at_the_prior_and_chains_the_updates()
    {
        var at = DateTimeOffset.UnixEpoch;
        MasteryObservation[] observations = [new(at, 1, "a", "x", true, 80), new(at, 2, "b", "x", false, 50), new(at, 3, "c", "x", true, null)];

        var steps = MasteryCalculator.Replay(observations, P);

        var p1 = Bkt.Update(0.3, true, P);
        var p2 = Bkt.Update(p1, false, P);
        Assert.Equal([Bkt.PCorrect(0.3, P), Bkt.PCorrect(p1, P), Bkt.PCorrect(p2, P)], steps.Select(s => s.PCorrectBefore));
        Assert.Equal([p1, p2, Bkt.Update(p2, true, P)], steps.Select(s => s.PMasteryAfter));
        var row = MasteryCalculator.Compute("o", "g", "pk", "S", observations, new MasteryParameters(P, 0.7, MasteryLevels.Default, "default"), at)!;
        Assert.Equal((3, 2, 2, 65.0, 50.0), (row.Observations, row.Correct, row.Scored, row.MeanScore, row.LatestScore));
    }
}
