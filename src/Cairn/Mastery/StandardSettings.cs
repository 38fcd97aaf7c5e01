namespace Cairn.Mastery;

/// <summary>One standard's overrides in the catalog (null: the game's value).</summary>
internal sealed record StandardSettings(BktParameters? Parameters, double? Threshold);
