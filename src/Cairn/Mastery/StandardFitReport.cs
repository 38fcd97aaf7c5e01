namespace Cairn.Mastery;

/// <summary>What a fit did for one standard: the stored version (null when skipped, with the reason), and the rows it queued for recompute.</summary>
internal sealed record StandardFitReport(string OrgId, string Game, string StandardId, FittedParameters? Fit, int TrainPlayers, int TestPlayers,
    int Requeued, string? Skipped);
