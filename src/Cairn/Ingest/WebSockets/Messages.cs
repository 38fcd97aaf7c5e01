using System.Text.Json.Serialization;

namespace Cairn.Ingest.WebSockets;

/// <summary>Sent once the connection is authenticated: who it sends for, and the limits it must keep to.</summary>
internal sealed record ReadyMessage(string Org, string Game, int MaxMessageBytes, int MaxEventsPerEnvelope, int MaxInFlight)
{
    [JsonPropertyOrder(-1)]
    public string Type => "ready";
}

/// <summary>The answer to one envelope, after its commit: the same counts and per-event results as <c>POST /v1/events</c>.</summary>
internal sealed record AckMessage(long Seq, int Accepted, int Duplicates, int Rejected, IReadOnlyList<EventResult> Results)
{
    /// <summary>Events left out by the game's sampling rules; written only when there are any.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int SampledOut { get; init; }

    [JsonPropertyOrder(-1)]
    public string Type => "ack";
}

/// <summary>An envelope (or the connection) refused: nothing of the envelope was stored; <see cref="RetryAfterMs"/> when retrying later helps.</summary>
internal sealed record ErrorMessage(long? Seq, string Code, string Message, int? RetryAfterMs = null)
{
    [JsonPropertyOrder(-1)]
    public string Type => "error";
}

/// <summary>The error codes of the WebSocket protocol (docs/ingest.md).</summary>
internal static class ErrorCodes
{
    public const string Unauthorized = "unauthorized";
    public const string Forbidden = "forbidden";
    public const string BadEnvelope = "bad_envelope";
    public const string TooLarge = "too_large";
    public const string RateLimited = "rate_limited";
    public const string Unavailable = "unavailable";
    public const string AnalyticsVersion = "analytics_version";
}
