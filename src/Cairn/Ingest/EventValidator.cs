using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Cairn.Ingest;

/// <summary>Checks a canonical event (ARCHITECTURE §2) field by field, reporting every problem at once.</summary>
internal static partial class EventValidator
{
    public const int MaxIdLength = 128;
    public const int MaxNameLength = 128;
    public const int MaxPlayerIdLength = 256;
    public const int MaxDeviceEntries = 32;
    public const int MaxDeviceValueLength = 512;

    public static readonly IReadOnlySet<string> PrivacyLevels = new HashSet<string>(StringComparer.Ordinal) { "standard", "sensitive", "pii", "system" };

    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        "eventId", "eventType", "timestamp", "game", "source", "playerId", "sessionId",
        "data", "device", "context", "schemaVersion", "privacyLevel",
    };

    // RFC 3339 date-time: a full date, a time, optional fraction, and a zone (Z or ±hh:mm) that is required.
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex Rfc3339();

    [GeneratedRegex(@"^[A-Za-z0-9_.:\-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex Name();

    public static ValidatedEvent? Validate(JsonObject e, IngestScope scope, List<EventError> errors)
    {
        foreach (var (name, _) in e)
        {
            if (!Known.Contains(name))
            {
                errors.Add(new EventError(name, "unknown_field", $"'{name}' is not a field of an event (put game-specific fields in 'data')"));
            }
        }

        var eventId = RequiredString(e, "eventId", MaxIdLength, errors);
        var eventType = RequiredString(e, "eventType", MaxNameLength, errors);
        if (eventType is not null && !Name().IsMatch(eventType))
        {
            errors.Add(new EventError("eventType", "format", "'eventType' may hold only letters, digits and _ . : -"));
        }
        var timestamp = Timestamp(e, errors);
        var game = RequiredString(e, "game", MaxNameLength, errors);
        if (game is not null && game != scope.Game)
        {
            errors.Add(new EventError("game", "game_mismatch", $"this key writes for game '{scope.Game}', not '{game}'"));
        }
        var source = OptionalString(e, "source", MaxNameLength, errors);
        if (source is not null && !Name().IsMatch(source))
        {
            errors.Add(new EventError("source", "format", "'source' may hold only letters, digits and _ . : -"));
        }
        var playerId = OptionalString(e, "playerId", MaxPlayerIdLength, errors);
        if (playerId is not null && playerId.Trim().Length == 0)
        {
            errors.Add(new EventError("playerId", "required", "'playerId' is blank; leave it out for anonymous events"));
        }
        var sessionId = OptionalString(e, "sessionId", MaxIdLength, errors);
        var schemaVersion = OptionalString(e, "schemaVersion", 32, errors);
        var privacy = OptionalString(e, "privacyLevel", 16, errors) ?? "standard";
        if (!PrivacyLevels.Contains(privacy))
        {
            errors.Add(new EventError("privacyLevel", "invalid_value", "'privacyLevel' must be standard, sensitive, pii or system"));
        }

        var data = ObjectField(e, "data", errors);
        var context = ObjectField(e, "context", errors);
        var device = Device(e, errors);

        if (errors.Count > 0)
        {
            return null;
        }
        return new ValidatedEvent(
            eventId!, eventType!, timestamp!.Value, game!, source ?? game!, playerId, sessionId,
            data?.ToJsonString() ?? "{}", device?.ToJsonString(), context?.ToJsonString(), schemaVersion, privacy);
    }

    private static string? RequiredString(JsonObject e, string name, int maxLength, List<EventError> errors)
    {
        if (e[name] is null)
        {
            errors.Add(new EventError(name, "required", $"'{name}' is required"));
            return null;
        }
        var value = OptionalString(e, name, maxLength, errors);
        if (value is not null && value.Length == 0)
        {
            errors.Add(new EventError(name, "required", $"'{name}' must not be empty"));
            return null;
        }
        return value;
    }

    private static string? OptionalString(JsonObject e, string name, int maxLength, List<EventError> errors)
    {
        var node = e[name];
        if (node is null)
        {
            return null;
        }
        if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.String)
        {
            errors.Add(new EventError(name, "type", $"'{name}' must be a string"));
            return null;
        }
        var text = value.GetValue<string>();
        if (text.Length > maxLength)
        {
            errors.Add(new EventError(name, "too_long", $"'{name}' is {text.Length} characters long; the limit is {maxLength}"));
            return null;
        }
        return text;
    }

    private static DateTimeOffset? Timestamp(JsonObject e, List<EventError> errors)
    {
        var text = RequiredString(e, "timestamp", 40, errors);
        if (text is null)
        {
            return null;
        }
        if (!Rfc3339().IsMatch(text)
            || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
        {
            errors.Add(new EventError("timestamp", "format",
                $"'timestamp' must be an RFC 3339 date-time with a zone, such as 2025-09-29T22:02:51.04Z (got \"{Clip(text)}\")"));
            return null;
        }
        if (parsed.Year < 2000 || parsed > DateTimeOffset.UtcNow.AddDays(1))
        {
            errors.Add(new EventError("timestamp", "out_of_range", $"'timestamp' {Clip(text)} is before 2000 or more than a day in the future"));
            return null;
        }
        return parsed;
    }

    private static JsonObject? ObjectField(JsonObject e, string name, List<EventError> errors)
    {
        var node = e[name];
        if (node is null || node is JsonObject)
        {
            return node as JsonObject;
        }
        errors.Add(new EventError(name, "type", $"'{name}' must be an object"));
        return null;
    }

    private static JsonObject? Device(JsonObject e, List<EventError> errors)
    {
        var device = ObjectField(e, "device", errors);
        if (device is null)
        {
            return null;
        }
        if (device.Count > MaxDeviceEntries)
        {
            errors.Add(new EventError("device", "too_large", $"'device' has {device.Count} entries; the limit is {MaxDeviceEntries}"));
        }
        foreach (var (key, value) in device)
        {
            if (value is null)
            {
                continue;
            }
            if (value is not JsonValue v || v.GetValueKind() != JsonValueKind.String)
            {
                errors.Add(new EventError($"device.{key}", "type", "'device' must be a flat map of strings"));
            }
            else if (v.GetValue<string>().Length > MaxDeviceValueLength)
            {
                errors.Add(new EventError($"device.{key}", "too_long", $"device values are limited to {MaxDeviceValueLength} characters"));
            }
        }
        return device;
    }

    private static string Clip(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
