namespace Cairn.Benchmarks.Micro;

/// <summary>One event of each shape producers send (ARCHITECTURE §2), as the bytes that arrive.</summary>
internal static class EventSamples
{
    public const string Canonical = """
        {"eventId":"6f1c2a9e-0b7d-4c55-9a61-2f4e8d1c0b3a","eventType":"DialogueEvent","timestamp":"2025-09-29T22:02:51.04Z",
         "game":"mhs","source":"mhs-unity","playerId":"Alice@Example.com","sessionId":"s-123",
         "data":{"dialogueEventType":"DialogueNodeEvent","conversationId":95,"nodeId":41},
         "device":{"platform":"WindowsEditor","browser":"WebGL_Browser"},
         "context":{"classId":"c-7","assignmentId":"a-3"},"schemaVersion":"1.0.0"}
        """;

    /// <summary>The MongoDB log export: <c>_id</c>/<c>$date</c> wrappers, double-encoded data, quoted numbers, Key/Value device.</summary>
    public const string LegacyMongo = """
        {"_id":{"$oid":"66f9d0b7e4b0a1c2d3e4f501"},"event_type":"DialogueEvent",
         "timestamp":{"$date":{"$numberLong":"1727647371040"}},"game":"mhs","player_id":"Alice@Example.com","session_id":"s-123",
         "event_data":"{\"dialogueEventType\":\"DialogueNodeEvent\",\"conversationId\":\"95\",\"nodeId\":\"41\"}",
         "device_info":[{"Key":"platform","Value":"WindowsEditor"},{"Key":"browser","Value":"WebGL_Browser"}],
         "organization_id":"org-legacy","retention_days":365}
        """;

    /// <summary>The snake_case LMS shape: <c>event_id</c>, <c>user_id</c>, <c>properties</c>, snake_case context.</summary>
    public const string LmsSnakeCase = """
        {"event_id":"lms-000123","event_type":"QuestEvent","timestamp":"2025-09-29T22:02:51Z","game":"mhs",
         "user_id":"bob@lms.example","session_id":"s-9","organization_id":"org-lms",
         "properties":{"questId":"Q3","status":"completed","step":"4"},
         "device_info":{"platform":"iOS","app_version":"2.1","ip_address":"10.0.0.7"},
         "context":{"class_id":"c-7","assignment_id":"a-3"}}
        """;
}
