namespace Cairn.Mastery;

/// <summary>One standard's parameters estimated by <c>cairn mastery fit</c>, stored as a new version (1, 2, …) per (org, game, standard).</summary>
/// <param name="LogLikelihood">Of the training sequences under the fitted parameters.</param>
/// <param name="Auc">Of the predicted chance of a correct answer on the held-out players (null when they had too few answers of one kind).</param>
internal sealed record FittedParameters(
    string OrgId, string Game, string StandardId, int Version, BktParameters Parameters, double LogLikelihood, double? Auc,
    int Players, int Observations, DateTimeOffset FittedAt);
