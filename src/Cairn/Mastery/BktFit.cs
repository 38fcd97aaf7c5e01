namespace Cairn.Mastery;

/// <summary>What <see cref="BktFitter.Fit"/> found: the parameters, the log-likelihood of the sequences under them, and the EM iterations it took.</summary>
internal sealed record BktFit(BktParameters Parameters, double LogLikelihood, int Iterations);
