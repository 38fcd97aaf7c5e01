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
    EventNormalizer normalizer, PlayerKeys playerKeys, int maxEventBytes, CatalogRegistry? catalogs = null, OptOuts? optOuts = null,
    Projections.ProjectionSet? projections = null, Schemas.EventSchemaRegistry? schemas = null,
    Consent.ConsentCategories? consentCategories = null)
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
        long bytes = 0;

        for (var i = 0; i < events.Count; i++)
        {
            var incoming = events[i];
            bytes += incoming.RawBytes;
            var errors = new List<EventError>();
            var notes = new List<string>();
            ValidatedEvent? valid = null;
            JsonObject? canonical = null;
            string? eventId = null;
            if (incoming.RawBytes > maxEventBytes)
            {
                errors.Add(new EventError("", "too_large", $"the event is {incoming.RawBytes} bytes; the limit is {maxEventBytes}"));
            }
            else if (incoming.Problem is { } problem)
            {
                errors.Add(problem);
            }
            else if (incoming.Node is not JsonObject obj)
            {
                errors.Add(new EventError("", "type", $"an event must be a JSON object (got {KindOf(incoming)})"));
            }
            else
            {
                canonical = normalizer.Normalize(obj, scope.Game, notes, errors);
                if (scope.Country is { } country && errors.Count == 0)
                {
                    // The server's lookup of the client's address replaces a country the client sent; a non-object context is left to the validator.
                    if (canonical["context"] is JsonObject context)
                    {
                        context["country"] = country;
                    }
                    else if (canonical["context"] is null)
                    {
                        canonical["context"] = new JsonObject { ["country"] = country };
                    }
                }
                eventId = canonical["eventId"] is JsonValue v && v.TryGetValue<string>(out var id) ? id : null;
                if (errors.Count == 0)
                {
                    valid = EventValidator.Validate(canonical, scope, errors);
                    // Its data against the JSON Schema of its type and version, when the registry has one (Schemas/SchemaSet.Validate).
                    if (valid is not null && schemas?.Current.Validate(valid.Game, valid.EventType, valid.SchemaVersion, canonical["data"] as JsonObject, errors) == false)
                    {
                        valid = null;
                    }
                }
            }
            notesByIndex[i] = notes.Count > 0 ? notes : null;

            if (valid is null)
            {
                var (raw, playerKey) = Redact(scope, incoming, canonical);
                // An opted-out player's invalid event is answered too, and not quarantined either.
                if (playerKey is null || optOuts?.Contains(playerKey) != true)
                {
                    var reasons = errors.Select(e => new EventError(QuarantineRedactor.Scrub(e.Path), e.Code, QuarantineRedactor.Scrub(e.Message)));
                    var quarantinedId = eventId is null ? null : QuarantineRedactor.Scrub(eventId);
                    rejected.Add(new RejectedRecord(scope.OrgId, scope.Game, quarantinedId, playerKey, raw, JsonSerializer.Serialize(reasons, ReasonsJson)));
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
                // So is an event of a category the player declined (decided in memory, by the taxonomy's category of the event type).
                if (consentCategories is not null && consentCategories.Declines(key, valid.EventType))
                {
                    results[i] = new EventResult(i, valid.EventId, EventResult.Accepted, null, notesByIndex[i]) { OptedOut = true, DeclinedCategory = true };
                    continue;
                }
                // Sampled out by the game's rules, decided by the player's key (the same players stay in the sample): nothing of it is stored.
                if (scope.Live && catalogs?.Current.For(valid.Game)?.Sampling is { Rules.Count: > 0 } sampling
                    && sampling.RateOf(valid.EventType) is { Rule: not null } sampled && !Sampling.Sampler.Keep(key, valid.EventType, sampled.Rate))
                {
                    results[i] = new EventResult(i, valid.EventId, EventResult.SampledOut, null, notesByIndex[i]) { EventType = valid.EventType };
                    continue;
                }
                if (seenPlayers.Add(key))
                {
                    directory.Add(new DirectoryEntry(scope.OrgId, key, rawPlayer.Trim()));
                }
            }
            var data = canonical!["data"] as JsonObject;
            var trigger = catalogs?.Current.Match(valid.Game, valid.EventType, data);
            // The jobs of every projection this event concerns, decided in memory (only a player's events have any).
            var jobs = key is null ? null : projections?.JobsFor(new Projections.ProjectionEvent(scope.OrgId, valid.Game, valid.EventType, data, trigger));
            writeIndexes.Add(i);
            records.Add(new EventRecord(
                scope.OrgId, valid.Game, valid.Source, valid.EventId, valid.EventType, valid.Timestamp,
                key, valid.SessionId, trigger?.EventKey, valid.DataJson, valid.DeviceJson, valid.ContextJson,
                valid.SchemaVersion, valid.PrivacyLevel, jobs));
        }
        return new PreparedBatch(results, [.. writeIndexes], notesByIndex, new WriteBatch(records, rejected, directory) { Bytes = bytes });
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

    /// <summary>
    /// What the quarantine keeps of a rejected event, and its playerKey: the event with every identity redacted
    /// (<see cref="QuarantineRedactor"/>); of input that is not an event object, or too large, only its size (and a keyed hash).
    /// </summary>
    /// <remarks>Without the raw JSON (an import row), the event as normalized so far is kept instead.</remarks>
    private (string Raw, string? PlayerKey) Redact(IngestScope scope, IncomingEvent incoming, JsonObject? canonical)
    {
        if (incoming.RawBytes > maxEventBytes)
        {
            // Too large to keep whole, and cutting it could keep half an identity: keep only the shape.
            return ($"{{\"truncated\":true,\"bytes\":{incoming.RawBytes}}}", null);
        }
        if (incoming.Problem is not null || (canonical ?? incoming.Node) is not JsonObject)
        {
            return (QuarantineRedactor.Withheld(incoming.RawBytes, playerKeys.Fingerprint(RawBytesOf(incoming))), null);
        }
        var text = incoming.Raw is { } element ? element.GetRawText() : (canonical ?? incoming.Node)!.ToJsonString();
        if (JsonNode.Parse(text) is not JsonObject obj)
        {
            return (QuarantineRedactor.Withheld(incoming.RawBytes, playerKeys.Fingerprint(RawBytesOf(incoming))), null);
        }
        var playerKey = QuarantineRedactor.Redact(obj, raw => playerKeys.Compute(scope.OrgId, raw));
        return (obj.ToJsonString(), playerKey);
    }

    private static byte[] RawBytesOf(IncomingEvent incoming) => incoming switch
    {
        { Raw: { } element } => System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(element).ToArray(),
        { Node: JsonValue value } when value.GetValueKind() == JsonValueKind.String => System.Text.Encoding.UTF8.GetBytes(value.GetValue<string>()),
        { Node: { } node } => System.Text.Encoding.UTF8.GetBytes(node.ToJsonString()),
        _ => [],
    };

    private static string KindOf(IncomingEvent incoming) =>
        (incoming.Raw?.ValueKind ?? incoming.Node?.GetValueKind() ?? JsonValueKind.Null) switch
        {
            JsonValueKind.Array => "an array",
            JsonValueKind.String => "a string",
            JsonValueKind.Number => "a number",
            JsonValueKind.True or JsonValueKind.False => "a boolean",
            _ => "null",
        };
}
