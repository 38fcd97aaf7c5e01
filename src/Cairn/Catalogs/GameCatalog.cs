using System.Collections.Frozen;

namespace Cairn.Catalogs;

/// <summary>One game's compiled catalog: units and points in order, field types, and the trigger index.</summary>
internal sealed class GameCatalog
{
    public GameCatalog(
        string game, string file, IReadOnlyList<Unit> units, IReadOnlyList<PointDefinition> points,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, FieldType>> schemas)
    {
        Game = game;
        File = file;
        Units = units;
        Points = points;
        PointsById = points.ToFrozenDictionary(p => p.Id, StringComparer.Ordinal);
        Schemas = schemas;
        Triggers = new TriggerIndex(points);
    }

    public string Game { get; }

    /// <summary>The game's title for people ("Mission: Hydro Science"); the pages fall back to the game id.</summary>
    public string? Title { get; init; }

    public string File { get; }

    public IReadOnlyList<Unit> Units { get; }

    public IReadOnlyList<PointDefinition> Points { get; }

    public FrozenDictionary<string, PointDefinition> PointsById { get; }

    /// <summary>Declared field types per event type (explicit <c>eventTypes</c>, plus types implied by trigger values).</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, FieldType>> Schemas { get; }

    public TriggerIndex Triggers { get; }

    /// <summary>The catalog's <c>mastery:</c> section (the built-in defaults without one).</summary>
    public Mastery.MasterySettings Mastery { get; init; } = Cairn.Mastery.MasterySettings.Default;
    /// <summary>The game's <c>state:</c> rules and <c>achievements:</c> (none when the catalog has neither).</summary>
    public PlayerState.PlayerStateRules PlayerState { get; init; } = Cairn.PlayerState.PlayerStateRules.None;

    /// <summary>The game's <c>sampling:</c> rules (none: nothing is sampled).</summary>
    public Ingest.Sampling.SamplingRules Sampling { get; init; } = Ingest.Sampling.SamplingRules.None;

    /// <summary>The game's <c>leaderboards:</c> (none when the catalog has none).</summary>
    public Leaderboards.LeaderboardRules Leaderboards { get; init; } = Cairn.Leaderboards.LeaderboardRules.None;

    /// <summary>The game's <c>sessions:</c> settings (null without one: the game keeps no play sessions).</summary>
    public PlaySessions.SessionSettings? Sessions { get; init; }
    /// <summary>The game's saved <c>funnels:</c> (docs/analytics.md, Saved funnels).</summary>
    public IReadOnlyList<Funnels.FunnelDefinition> Funnels { get; init; } = [];
}
