using Cairn.Mastery;

namespace Cairn.Tests.Mastery;

/// <summary>The EM fit recovers known parameters from synthetic students, keeps guess and slip bounded, and scores held-out answers.</summary>
public sealed class BktFitterTests
{
    /// <summary>Students drawn from known parameters: known at the start with the prior, learning after each answer.</summary>
    internal static List<bool[]> Students(BktParameters truth, int students, int answers, int seed)
    {
        var random = new Random(seed);
        var sequences = new List<bool[]>(students);
        for (var s = 0; s < students; s++)
        {
            var known = random.NextDouble() < truth.Prior;
            var sequence = new bool[answers];
            for (var t = 0; t < answers; t++)
            {
                sequence[t] = known ? random.NextDouble() >= truth.Slip : random.NextDouble() < truth.Guess;
                known = known ? random.NextDouble() >= truth.Forget : random.NextDouble() < truth.Learn;
            }
            sequences.Add(sequence);
        }
        return sequences;
    }

    [Theory]
    [InlineData(0.3, 0.15, 0.2, 0.1, 11)]
    [InlineData(0.1, 0.25, 0.25, 0.05, 12)]
    [InlineData(0.5, 0.1, 0.1, 0.2, 13)]
    public void Issue_12_the_fit_recovers_known_parameters_within_005(double prior, double learn, double guess, double slip, int seed)
    {
        var truth = new BktParameters(prior, learn, guess, slip);
        var students = Students(truth, 400, 20, seed);

        var fit = BktFitter.Fit(students, BktParameters.Default);

        var p = fit.Parameters;
        Assert.True(Math.Abs(p.Prior - prior) <= 0.05, $"prior {p.Prior} vs {prior}");
        Assert.True(Math.Abs(p.Learn - learn) <= 0.05, $"learn {p.Learn} vs {learn}");
        Assert.True(Math.Abs(p.Guess - guess) <= 0.05, $"guess {p.Guess} vs {guess}");
        Assert.True(Math.Abs(p.Slip - slip) <= 0.05, $"slip {p.Slip} vs {slip}");
        Assert.True(fit.LogLikelihood >= BktFitter.LogLikelihood(students, BktParameters.Default), "the fit is no worse than where it started");
        Assert.True(fit.LogLikelihood >= BktFitter.LogLikelihood(students, truth) - 1e-6 * Math.Abs(fit.LogLikelihood) - 1, "the fit is at least as likely as the truth (up to convergence)");
    }

    [Fact]
    public void Issue_12_guess_and_slip_stay_within_their_bounds_even_when_the_data_push_past_them()
    {
        // Answers that are right half of the time whatever the student knows: unbounded, guess and slip would reach 0.5.
        var random = new Random(5);
        var noise = Enumerable.Range(0, 300).Select(_ => Enumerable.Range(0, 15).Select(_ => random.NextDouble() < 0.5).ToArray()).ToList();

        var fit = BktFitter.Fit(noise, BktParameters.Default);

        Assert.InRange(fit.Parameters.Guess, 0, BktParameters.MaxGuess);
        Assert.InRange(fit.Parameters.Slip, 0, BktParameters.MaxSlip);
        Assert.Null(fit.Parameters.Problem());
    }

    [Fact]
    public void Issue_12_the_auc_of_good_parameters_on_held_out_students_beats_chance()
    {
        var truth = new BktParameters(0.3, 0.15, 0.2, 0.1);
        var train = Students(truth, 400, 20, 21);
        var test = Students(truth, 100, 20, 22);

        var fit = BktFitter.Fit(train, BktParameters.Default);

        Assert.InRange(BktFitter.Auc(test, fit.Parameters)!.Value, 0.7, 1);
        Assert.Null(BktFitter.Auc([[true, true]], fit.Parameters));
    }

    [Fact]
    public void Issue_12_auc_counts_ties_as_half()
    {
        // Two identical one-answer students, one right and one wrong: the same prediction, AUC 0.5.
        Assert.Equal(0.5, BktFitter.Auc([[true], [false]], BktParameters.Default));
    }
}
