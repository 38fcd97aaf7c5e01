using System;
using System.Collections.Generic;

namespace Cairn.Client.Internal
{
    /// <summary>The server's event categories (src/Cairn/Ingest/Sampling/Taxonomy.cs): the category of an event tracked without one.</summary>
    internal static class Taxonomy
    {
        private static readonly Dictionary<string, string> ByEventType = Build(new Dictionary<string, string[]>
        {
            ["authentication"] = new[] { "user_login", "user_logout", "session_timeout", "password_reset" },
            ["navigation"] = new[] { "page_view", "page_exit", "menu_click", "breadcrumb_click", "mouse_move" },
            ["content_access"] = new[] { "game_launch", "sequence_view", "assignment_open", "resource_download" },
            ["communication"] = new[] { "message_sent", "message_read", "notification_received" },
            ["gameplay"] = new[] { "game_stage_start", "game_stage_complete", "game_stage_quit", "target_met" },
            ["assignments"] = new[] { "assignment_started", "assignment_completed", "assignment_overdue" },
            ["mastery"] = new[] { "concept_mastered", "review_scheduled", "retention_check" },
            ["challenges"] = new[] { "challenge_joined", "challenge_completed", "leaderboard_update" },
            ["performance"] = new[] { "page_load_time", "api_response_time", "asset_load_time" },
            ["errors"] = new[] { "javascript_error", "api_error", "game_error", "network_error" },
            ["health"] = new[] { "service_health_check", "database_connection", "cdn_status" },
            ["session_lifecycle"] = new[] { "session_start", "session_end", "session_crash", "reconnect" },
            ["combat"] = new[] { "engage_enemy", "ability_cast", "damage_dealt", "damage_taken", "death" },
            ["progression"] = new[] { "xp_gain", "skill_rank_up", "loot_drop", "inventory_move", "craft_result" },
            ["social"] = new[] { "party_create", "party_join", "emote_played", "friend_invite" },
            ["heartbeat"] = new[] { "client_tick", "aoi_population", "snapshot_size" },
        });

        public static string? CategoryOf(string eventType) => ByEventType.TryGetValue(eventType, out var category) ? category : null;

        private static Dictionary<string, string> Build(Dictionary<string, string[]> categories)
        {
            var map = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var pair in categories)
            {
                foreach (var type in pair.Value)
                {
                    map[type] = pair.Key;
                }
            }
            return map;
        }
    }
}
