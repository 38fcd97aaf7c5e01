namespace Cairn.Mastery;

/// <summary>
/// The four (five) numbers of Bayesian Knowledge Tracing for one standard: the chance a student already knows it
/// (<paramref name="Prior"/>), learns it at an observation (<paramref name="Learn"/>), answers right without knowing it
/// (<paramref name="Guess"/>), answers wrong although knowing it (<paramref name="Slip"/>), and forgets it between two
/// observations (<paramref name="Forget"/>, usually 0).
/// </summary>
internal sealed record BktParameters(double Prior, double Learn, double Guess, double Slip, double Forget = 0)
{
    /// <summary>The built-in defaults, used when neither the catalog nor a fit gives any.</summary>
    public static readonly BktParameters Default = new(Prior: 0.2, Learn: 0.15, Guess: 0.2, Slip: 0.1, Forget: 0);

    public const double MaxGuess = 0.3;
    public const double MaxSlip = 0.3;

    /// <summary>
    /// What is wrong with the numbers, or null. Guess and slip are bounded (≤ 0.3 each, so guess + slip &lt; 1): a correct
    /// answer then never lowers mastery, and the model cannot flip into "knowing means answering wrong".
    /// </summary>
    public string? Problem()
    {
        foreach (var (name, value) in (ReadOnlySpan<(string, double)>)[("prior", Prior), ("learn", Learn), ("guess", Guess), ("slip", Slip), ("forget", Forget)])
        {
            if (!double.IsFinite(value) || value < 0 || value > 1)
            {
                return $"'{name}' must be between 0 and 1";
            }
        }
        if (Guess > MaxGuess)
        {
            return $"'guess' must be at most {MaxGuess}";
        }
        if (Slip > MaxSlip)
        {
            return $"'slip' must be at most {MaxSlip}";
        }
        return Forget >= 1 ? "'forget' must be below 1" : null;
    }
}
