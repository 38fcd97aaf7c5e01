using System.Text.Json;
using System.Text.Json.Nodes;
using Cairn.Access;
using Cairn.Catalogs;
using Cairn.Identity;
using Cairn.Storage;

namespace Cairn.Ingest;

/// <summary>
/// The one path every event takes, from HTTP or from an import: normalize → validate → pseudonymize.
/// It decides nothing by reading the store; deduplication happens in the write itself, and triggers are
/// matched against the in-memory catalogs.
/// </summary>
internal sealed class IngestPipeline(
    EventNormalizer normalizer, PlayerKeys playerKeys, int maxEventBytes, CatalogRegistry? catalogs = null, OptOuts? optOuts = null)
{
    private static readonly JsonSerializerOptions ReasonsJson = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The current pepper's keys: an import's <c>{hmac:col}</c> templates hash with them too.</summary>
    public PlayerKeys PlayerKeys => playerKeys;

    public PreparedBatch Prepare(IngestScope scope, IReadOnlyList<IncomingEvent> events)
    {
        var results = new EventResult?[events.Count];
        var notesByIndex = new List<string>?[events.Count];
        var writeIndexes = new List<int>(events.Count);
        var records = new List<EventRecord>(events.Count);
        var rejected = new List<RejectedRecord>();
        var directory = new List<DirectoryEntry>();
        var seenPlayers = new HashSet<string>(StringComparer.Ordinal);
        // A batch usually comes from one client, so one player: compute each raw id's key once per batch.
        var keysOfBatch = new Dictionary<string, string>(StringComparer.Ordinal);

        for (var i = 0; i < events.Count; i++)
        {
            var incoming = events[i];
            var errors = new List<EventError>();
            var notes = new List<string>();
            ValidatedEvent? valid = null;
            JsonObject? canonical = null;
            string? eventId = null;
            if (incoming.RawBytes > maxEventBytes)
            {
                errors.Add(new EventError("", "too_large", $"the event is {incoming.RawBytes} bytes; the limit is {maxEventBytes}"));
            }
            else if (incoming.Node is not JsonObject obj)
            {
                errors.Add(new EventError("", "type", "an event must be a JSON object"));
            }
            else
            {
                canonical = normalizer.Normalize(obj, scope.Game, notes, errors);
                eventId = canonical["eventId"] is JsonValue v && v.TryGetValue<string>(out var id) ? id : null;
                if (errors.Count == 0)
                {
                    valid = EventValidator.Validate(canonical, scope, errors);
                }
            }
            notesByIndex[i] = notes.Count > 0 ? notes : null;

            if (valid is null)
            {
                var (raw, playerKey) = Redact(scope, incoming, canonical);
                // An opted-out player's invalid event is answered too, and not quarantined either.
                if (playerKey is null || optOuts?.Contains(playerKey) != true)
                {
                    rejected.Add(new RejectedRecord(scope.OrgId, scope.Game, eventId, playerKey, raw, JsonSerializer.Serialize(errors, ReasonsJson)));
                }
                results[i] = new EventResult(i, eventId, EventResult.Rejected, errors, notesByIndex[i]);
                continue;
            }

            string? key = null;
            if (valid.RawPlayerId is { } rawPlayer)
            {
                if (!keysOfBatch.TryGetValue(rawPlayer, out key))
                {
                    key = playerKeys.Compute(scope.OrgId, rawPlayer);
                    keysOfBatch[rawPlayer] = key;
                }
                // An opted-out player's events are answered like accepted ones and nothing of them is stored (see EventResult.OptedOut).
                if (optOuts is not null && optOuts.Contains(key))
                {
                    results[i] = new EventResult(i, valid.EventId, EventResult.Accepted, null, notesByIndex[i]) { OptedOut = true };
                    continue;
                }
                if (seenPlayers.Add(key))
                {
                    directory.Add(new DirectoryEntry(scope.OrgId, key, rawPlayer.Trim()));
                }
            }
            var trigger = catalogs?.Current.Match(valid.Game, valid.EventType, canonical!["data"] as JsonObject);
            writeIndexes.Add(i);
            records.Add(new EventRecord(
                scope.OrgId, valid.Game, valid.Source, valid.EventId, valid.EventType, valid.Timestamp,
                key, valid.SessionId, trigger?.EventKey, valid.DataJson, valid.DeviceJson, valid.ContextJson,
                valid.SchemaVersion, valid.PrivacyLevel, key is null ? null : trigger?.Points));
        }
        return new PreparedBatch(results, [.. writeIndexes], notesByIndex, new WriteBatch(records, rejected, directory));
    }

    /// <summary>Fills in accepted / duplicate for the written events, once the write has committed.</summary>
    public static EventResult[] Complete(PreparedBatch prepared, bool[] inserted)
    {
        var results = prepared.Results;
        for (var w = 0; w < prepared.WriteIndexes.Length; w++)
        {
            var i = prepared.WriteIndexes[w];
            var record = prepared.Batch.Events[w];
            results[i] = new EventResult(i, record.EventId, inserted[w] ? EventResult.Accepted : EventResult.Duplicate, null, prepared.Notes[i]);
        }
        return results!;
    }

    /// <summary>The raw payload for quarantine, with any raw player identity replaced by its playerKey.</summary>
    /// <remarks>Without the raw JSON (an import row), the event as normalized so far is kept instead.</remarks>
    private (string Raw, string? PlayerKey) Redact(IngestScope scope, IncomingEvent incoming, JsonObject? canonical)
    {
        var text = incoming.Raw is { } element
            ? element.GetRawText()
            : (canonical ?? incoming.Node)?.ToJsonString() ?? "null";
        if (incoming.RawBytes > maxEventBytes)
        {
            // Too large to keep whole, and cutting it could keep half an identity: keep only the shape.
            return ($"{{\"truncated\":true,\"bytes\":{incoming.RawBytes}}}", null);
        }
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return (text, null);
        }
        if (node is not JsonObject obj)
        {
            return (text, null);
        }
        string? playerKey = null;
        foreach (var field in EventNormalizer.IdentityFields)
        {
            if (obj[field] is { } value)
            {
                obj.Remove(field);
                if (value is JsonValue v && v.TryGetValue<string>(out var raw) && raw.Trim().Length > 0)
                {
                    playerKey ??= playerKeys.Compute(scope.OrgId, raw);
                }
            }
        }
        if (playerKey is not null)
        {
            obj["playerKey"] = playerKey;
        }
        return (obj.ToJsonString(), playerKey);
    }
}
