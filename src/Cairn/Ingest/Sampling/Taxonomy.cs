using System.Collections.Frozen;

namespace Cairn.Ingest.Sampling;

/// <summary>
/// The event categories of seed 001 (learning platform) and seed 003 (gameplay), with their example event types: what a
/// sampling rule's <c>category:</c> matches. An event type not listed here has no category.
/// </summary>
internal static class Taxonomy
{
    public const string Performance = "performance";
    public const string Heartbeat = "heartbeat";

    public static readonly IReadOnlyDictionary<string, string[]> Categories = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["authentication"] = ["user_login", "user_logout", "session_timeout", "password_reset"],
        ["navigation"] = ["page_view", "page_exit", "menu_click", "breadcrumb_click", "mouse_move"],
        ["content_access"] = ["game_launch", "sequence_view", "assignment_open", "resource_download"],
        ["communication"] = ["message_sent", "message_read", "notification_received"],
        ["gameplay"] = ["game_stage_start", "game_stage_complete", "game_stage_quit", "target_met"],
        ["assignments"] = ["assignment_started", "assignment_completed", "assignment_overdue"],
        ["mastery"] = ["concept_mastered", "review_scheduled", "retention_check"],
        ["challenges"] = ["challenge_joined", "challenge_completed", "leaderboard_update"],
        [Performance] = ["page_load_time", "api_response_time", "asset_load_time"],
        ["errors"] = ["javascript_error", "api_error", "game_error", "network_error"],
        ["health"] = ["service_health_check", "database_connection", "cdn_status"],
        ["session_lifecycle"] = ["session_start", "session_end", "session_crash", "reconnect"],
        ["combat"] = ["engage_enemy", "ability_cast", "damage_dealt", "damage_taken", "death"],
        ["progression"] = ["xp_gain", "skill_rank_up", "loot_drop", "inventory_move", "craft_result"],
        ["social"] = ["party_create", "party_join", "emote_played", "friend_invite"],
        [Heartbeat] = ["client_tick", "aoi_population", "snapshot_size"],
    };

    private static readonly FrozenDictionary<string, string> ByEventType = Categories
        .SelectMany(c => c.Value.Select(t => (Type: t, Category: c.Key)))
        .ToFrozenDictionary(x => x.Type, x => x.Category, StringComparer.Ordinal);

    public static string? CategoryOf(string eventType) => ByEventType.GetValueOrDefault(eventType);
}
