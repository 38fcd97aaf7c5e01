namespace Cairn.Mastery;

/// <summary>Bayesian Knowledge Tracing: one O(1) update per observation.</summary>
internal static class Bkt
{
    /// <summary>The chance of a correct answer from a student who knows the standard with probability <paramref name="pKnown"/>.</summary>
    public static double PCorrect(double pKnown, BktParameters p) => pKnown * (1 - p.Slip) + (1 - pKnown) * p.Guess;

    /// <summary>
    /// The probability of knowing after one observation: the posterior given the answer (Bayes), then the chance to learn
    /// (or forget) before the next one.
    /// </summary>
    public static double Update(double pKnown, bool correct, BktParameters p)
    {
        var known = correct ? pKnown * (1 - p.Slip) : pKnown * p.Slip;
        var unknown = correct ? (1 - pKnown) * p.Guess : (1 - pKnown) * (1 - p.Guess);
        var evidence = known + unknown;
        var posterior = evidence > 0 ? known / evidence : pKnown;
        var next = posterior * (1 - p.Forget) + (1 - posterior) * p.Learn;
        return Math.Clamp(next, 0, 1);
    }
}
