namespace Cairn.Mastery;

/// <summary>
/// One player's mastery of one standard (in one game of one org): the BKT estimate and what it rests on. Rollups and risk
/// flags can be built on it: counts (observations, correct, scored) add up across players, scores are in percent.
/// </summary>
/// <param name="PMastery">The probability the player knows the standard, after the last observation (0–1).</param>
/// <param name="Correct">Observations that counted as correct.</param>
/// <param name="Scored">Observations that had a score (what <paramref name="MeanScore"/> averages).</param>
/// <param name="MeanScore">The mean score in percent, over the scored observations.</param>
/// <param name="LatestScore">The score of the latest scored observation, in percent.</param>
/// <param name="LastAt">The time of the latest observation (event time).</param>
/// <param name="ParameterVersion">Which parameters computed it (<see cref="MasteryParameters.Version"/>).</param>
internal sealed record MasteryRow(
    string OrgId, string Game, string PlayerKey, string StandardId, double PMastery, string Level, int Observations, int Correct, int Scored,
    double? MeanScore, double? LatestScore, DateTimeOffset FirstAt, DateTimeOffset LastAt, string LastEventId, string ParameterVersion,
    DateTimeOffset UpdatedAt);
