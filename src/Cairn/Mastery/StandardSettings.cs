namespace Cairn.Mastery;

/// <summary>One standard's overrides in the catalog (null: the game's value), and its name for people (null: none given).</summary>
internal sealed record StandardSettings(BktParameters? Parameters, double? Threshold, string? Name = null);
