using System.Collections.Frozen;

namespace Cairn.Ingest.Sampling;

/// <summary>The typed property sets of seed 001 a category's events are checked against (the default schema registry).</summary>
[Flags]
internal enum TaxonomyProperties
{
    None = 0,

    /// <summary>Seed 001's "Game-Specific Properties": game_id, stage_id, stage_type, score, passed, duration_ms, …</summary>
    Game = 1,

    /// <summary>Seed 001's "Learning Analytics Properties": concept_tags, difficulty_level, mastery_status, …</summary>
    Learning = 2,
}

/// <summary>One category of the taxonomy: its event types, the privacy level its events are kept under, and its typed properties.</summary>
internal sealed record TaxonomyCategory(string Name, string PrivacyLevel, string[] EventTypes, TaxonomyProperties Properties);

/// <summary>
/// The event taxonomy of seed 001 (learning platform) and seed 003 (gameplay): each category with its event types, the privacy
/// level that decides how long its events are kept (retention) and the typed properties of its data (the default schema
/// registry, <see cref="Schemas.TaxonomySchemas"/>). What a sampling rule's <c>category:</c> and a consent choice match. An event
/// type not listed here has no category: it is kept as <c>standard</c> unless it says otherwise, and no default schema applies.
/// </summary>
internal static class Taxonomy
{
    public const string Performance = "performance";
    public const string Heartbeat = "heartbeat";

    private const TaxonomyProperties Learning = TaxonomyProperties.Game | TaxonomyProperties.Learning;

    /// <summary>Every category, in seed order (seed 001's four groups, then seed 003's gameplay categories).</summary>
    public static readonly IReadOnlyList<TaxonomyCategory> All =
    [
        // Seed 001, user interaction events.
        new("authentication", "sensitive", ["user_login", "user_logout", "session_timeout", "password_reset"], TaxonomyProperties.None),
        new("navigation", "standard", ["page_view", "page_exit", "menu_click", "breadcrumb_click", "mouse_move"], TaxonomyProperties.None),
        new("content_access", "standard", ["game_launch", "sequence_view", "assignment_open", "resource_download"], TaxonomyProperties.None),
        new("communication", "sensitive", ["message_sent", "message_read", "notification_received"], TaxonomyProperties.None),
        // Seed 001, learning progress events: never sampled by the preset, typed by the game and learning properties.
        new("gameplay", "standard", ["game_stage_start", "game_stage_complete", "game_stage_quit", "target_met"], Learning),
        new("assignments", "standard", ["assignment_started", "assignment_completed", "assignment_overdue"], Learning),
        new("mastery", "standard", ["concept_mastered", "review_scheduled", "retention_check"], Learning),
        new("challenges", "standard", ["challenge_joined", "challenge_completed", "leaderboard_update"], Learning),
        // Seed 001, system performance events: "system events: 1-year retention".
        new(Performance, "system", ["page_load_time", "api_response_time", "asset_load_time"], TaxonomyProperties.None),
        new("errors", "system", ["javascript_error", "api_error", "game_error", "network_error"], TaxonomyProperties.None),
        new("health", "system", ["service_health_check", "database_connection", "cdn_status"], TaxonomyProperties.None),
        // Seed 001, business intelligence events.
        new("subscription", "sensitive", ["subscription_created", "subscription_updated", "payment_processed"], TaxonomyProperties.None),
        new("usage", "system", ["seat_utilization", "feature_adoption", "retention_metrics"], TaxonomyProperties.None),
        new("support", "sensitive", ["support_ticket_created", "support_ticket_resolved"], TaxonomyProperties.None),
        // Seed 003, gameplay telemetry.
        new("session_lifecycle", "standard", ["session_start", "session_end", "session_crash", "reconnect"], TaxonomyProperties.None),
        new("combat", "standard", ["engage_enemy", "ability_cast", "damage_dealt", "damage_taken", "death"], TaxonomyProperties.None),
        new("progression", "standard", ["xp_gain", "skill_rank_up", "loot_drop", "inventory_move", "craft_result"], TaxonomyProperties.None),
        new("social", "standard", ["party_create", "party_join", "emote_played", "friend_invite"], TaxonomyProperties.None),
        new(Heartbeat, "system", ["client_tick", "aoi_population", "snapshot_size"], TaxonomyProperties.None),
    ];

    /// <summary>The event types of each category, by category name.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Categories =
        All.ToFrozenDictionary(c => c.Name, c => c.EventTypes, StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, TaxonomyCategory> ByEventType = All
        .SelectMany(c => c.EventTypes.Select(t => (Type: t, Category: c)))
        .ToFrozenDictionary(x => x.Type, x => x.Category, StringComparer.Ordinal);

    public static string? CategoryOf(string eventType) => ByEventType.GetValueOrDefault(eventType)?.Name;

    /// <summary>The category an event type belongs to, or null.</summary>
    public static TaxonomyCategory? Of(string eventType) => ByEventType.GetValueOrDefault(eventType);

    /// <summary>
    /// The privacy level an event of <paramref name="eventType"/> is kept under when it names <paramref name="named"/> (or none).
    /// A taxonomy type takes its category's level; the client may only raise it towards the personal end (standard → sensitive →
    /// pii), never lower it or move a system event out of its level. Any other type keeps what it names (default standard).
    /// </summary>
    public static string PrivacyLevel(string eventType, string? named)
    {
        if (Of(eventType) is not { } category)
        {
            return named ?? "standard";
        }
        var level = category.PrivacyLevel;
        return named switch
        {
            "pii" => "pii",
            "sensitive" when level == "standard" => "sensitive",
            _ => level,
        };
    }
}
