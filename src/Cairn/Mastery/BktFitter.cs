namespace Cairn.Mastery;

/// <summary>
/// Estimates BKT parameters from observation sequences (one per student, oldest first) by expectation–maximization
/// (Baum–Welch on the two-state hidden Markov model: not known / known). Guess and slip are kept within
/// [<see cref="MinProbability"/>, 0.3]; since each is its own Bernoulli term of the M-step, clamping the unconstrained
/// estimate is the constrained maximum, so the likelihood still never decreases. Forget is held at the starting value.
/// Written by hand: the model is twenty lines of arithmetic, and no maintained .NET library fits BKT.
/// </summary>
internal static class BktFitter
{
    public const double MinProbability = 1e-4;

    public static BktFit Fit(IReadOnlyList<bool[]> sequences, BktParameters start, int maxIterations = 500, double tolerance = 1e-8)
    {
        var p = Clamp(start);
        var previous = double.NegativeInfinity;
        var iterations = 0;
        for (; iterations < maxIterations; iterations++)
        {
            var (ll, next) = Step(sequences, p);
            p = next;
            if (ll - previous < tolerance * Math.Max(1, Math.Abs(ll)))
            {
                break;
            }
            previous = ll;
        }
        return new BktFit(p, LogLikelihood(sequences, p), iterations + 1);
    }

    /// <summary>The log-likelihood of the sequences under <paramref name="p"/> (the forward algorithm, scaled).</summary>
    public static double LogLikelihood(IReadOnlyList<bool[]> sequences, BktParameters p)
    {
        var ll = 0.0;
        foreach (var sequence in sequences)
        {
            var known = p.Prior;
            foreach (var correct in sequence)
            {
                var pCorrect = Bkt.PCorrect(known, p);
                ll += Math.Log(correct ? pCorrect : 1 - pCorrect);
                known = Bkt.Update(known, correct, p);
            }
        }
        return ll;
    }

    /// <summary>
    /// The area under the ROC curve of the predicted chance of a correct answer (before each answer, from the earlier ones)
    /// against the answers; null when the answers are all of one kind.
    /// </summary>
    public static double? Auc(IReadOnlyList<bool[]> sequences, BktParameters p)
    {
        var predictions = new List<(double Score, bool Correct)>();
        foreach (var sequence in sequences)
        {
            var known = p.Prior;
            foreach (var correct in sequence)
            {
                predictions.Add((Bkt.PCorrect(known, p), correct));
                known = Bkt.Update(known, correct, p);
            }
        }
        var positives = predictions.Count(x => x.Correct);
        var negatives = predictions.Count - positives;
        if (positives == 0 || negatives == 0)
        {
            return null;
        }
        // Mann–Whitney: the mean rank of the positives, ties sharing their average rank.
        var ordered = predictions.OrderBy(x => x.Score).ToList();
        var rankSum = 0.0;
        for (var i = 0; i < ordered.Count;)
        {
            var j = i;
            while (j < ordered.Count && ordered[j].Score == ordered[i].Score)
            {
                j++;
            }
            var rank = (i + 1 + j) / 2.0;
            for (var k = i; k < j; k++)
            {
                if (ordered[k].Correct)
                {
                    rankSum += rank;
                }
            }
            i = j;
        }
        return (rankSum - positives * (positives + 1) / 2.0) / ((double)positives * negatives);
    }

    /// <summary>One EM iteration: the log-likelihood under <paramref name="p"/> and the re-estimated parameters.</summary>
    private static (double LogLikelihood, BktParameters Next) Step(IReadOnlyList<bool[]> sequences, BktParameters p)
    {
        double priorSum = 0, learnNum = 0, learnDen = 0, guessNum = 0, guessDen = 0, slipNum = 0, slipDen = 0, ll = 0;
        var count = 0;
        double[] a0 = [], a1 = [], c = [];
        foreach (var o in sequences)
        {
            var n = o.Length;
            if (n == 0)
            {
                continue;
            }
            count++;
            if (a0.Length < n)
            {
                (a0, a1, c) = (new double[n], new double[n], new double[n]);
            }
            // Forward, scaled: a0/a1 are P(state | answers so far).
            for (var t = 0; t < n; t++)
            {
                double pred1 = t == 0 ? p.Prior : a1[t - 1] * (1 - p.Forget) + a0[t - 1] * p.Learn;
                var pred0 = 1 - pred1;
                var x1 = pred1 * Emit1(o[t], p);
                var x0 = pred0 * Emit0(o[t], p);
                c[t] = x0 + x1;
                a0[t] = x0 / c[t];
                a1[t] = x1 / c[t];
                ll += Math.Log(c[t]);
            }
            // Backward, with the same scale, accumulating the expected counts as it goes.
            double b0 = 1, b1 = 1;
            for (var t = n - 1; t >= 0; t--)
            {
                var g1 = a1[t] * b1;
                var g0 = a0[t] * b0;
                var g = g0 + g1;
                (g0, g1) = (g0 / g, g1 / g);
                if (o[t])
                {
                    guessNum += g0;
                }
                else
                {
                    slipNum += g1;
                }
                guessDen += g0;
                slipDen += g1;
                if (t == 0)
                {
                    priorSum += g1;
                    break;
                }
                // Transitions from t-1 to t: xi(i, j) = a_{t-1}(i) A(i, j) e_j(o_t) b_t(j) / c_t.
                var e0 = Emit0(o[t], p) * b0 / c[t];
                var e1 = Emit1(o[t], p) * b1 / c[t];
                var xi00 = a0[t - 1] * (1 - p.Learn) * e0;
                var xi01 = a0[t - 1] * p.Learn * e1;
                var xi10 = a1[t - 1] * p.Forget * e0;
                var xi11 = a1[t - 1] * (1 - p.Forget) * e1;
                var xi = xi00 + xi01 + xi10 + xi11;
                learnNum += xi01 / xi;
                learnDen += (xi00 + xi01) / xi;
                (b0, b1) = ((1 - p.Learn) * e0 + p.Learn * e1, p.Forget * e0 + (1 - p.Forget) * e1);
            }
        }
        if (count == 0)
        {
            return (0, p);
        }
        var next = new BktParameters(
            priorSum / count,
            learnDen > 0 ? learnNum / learnDen : p.Learn,
            guessDen > 0 ? guessNum / guessDen : p.Guess,
            slipDen > 0 ? slipNum / slipDen : p.Slip,
            p.Forget);
        return (ll, Clamp(next));
    }

    private static double Emit1(bool correct, BktParameters p) => correct ? 1 - p.Slip : p.Slip;

    private static double Emit0(bool correct, BktParameters p) => correct ? p.Guess : 1 - p.Guess;

    private static BktParameters Clamp(BktParameters p) => new(
        Math.Clamp(p.Prior, MinProbability, 1 - MinProbability),
        Math.Clamp(p.Learn, MinProbability, 1 - MinProbability),
        Math.Clamp(p.Guess, MinProbability, BktParameters.MaxGuess),
        Math.Clamp(p.Slip, MinProbability, BktParameters.MaxSlip),
        p.Forget);
}
