using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cairn.Xapi;

/// <summary>
/// An xAPI statement as a Cairn event (docs/xapi.md): the statement id is the eventId, the actor's identifier the playerId
/// (so only the directory keeps it), <c>xapi.</c> and the verb's last segment the eventType, and <c>data</c> holds flat
/// fields catalogs match (<c>verb</c>, <c>objectId</c>, <c>success</c>, <c>passed</c>, <c>score</c>, <c>scaled</c>,
/// <c>registration</c>) and the statement itself without its actor.
/// </summary>
internal static class StatementMapper
{
    public const string Source = "xapi";
    public const string EventTypePrefix = "xapi.";
    public const string VoidedVerb = "http://adlnet.gov/expapi/verbs/voided";

    private static readonly HashSet<string> TopLevel = new(StringComparer.Ordinal)
    {
        "id", "actor", "verb", "object", "result", "context", "timestamp", "stored", "authority", "version", "attachments",
    };

    /// <summary>The event for a statement, or the reason it is not a valid statement (a 400).</summary>
    public static (JsonObject? Event, string? Error) ToEvent(JsonNode? node, string? idFromQuery, DateTimeOffset stored, string authorityName)
    {
        if (node is not JsonObject statement)
        {
            return (null, "A statement must be a JSON object.");
        }
        foreach (var (name, _) in statement)
        {
            if (!TopLevel.Contains(name))
            {
                return (null, $"A statement has no property '{name}'.");
            }
        }
        if (StatementValidator.Check(statement) is { } invalid)
        {
            return (null, invalid);
        }
        string id;
        if (statement["id"] is { } idNode)
        {
            if (idNode.GetValueKind() != JsonValueKind.String || !Guid.TryParse(idNode.GetValue<string>(), out var parsed))
            {
                return (null, "'id' must be a UUID.");
            }
            id = parsed.ToString("D");
            if (idFromQuery is not null && !string.Equals(id, idFromQuery, StringComparison.OrdinalIgnoreCase))
            {
                return (null, $"The statementId parameter ({idFromQuery}) differs from the statement's id ({id}).");
            }
        }
        else
        {
            id = idFromQuery ?? Guid.NewGuid().ToString("D");
        }
        if (ActorIdentifier(statement["actor"]) is not { } actor)
        {
            return (null, "'actor' must be an Agent (or identified Group) with exactly one of mbox, mbox_sha1sum, openid, account.");
        }
        if (actor.Error is not null)
        {
            return (null, actor.Error);
        }
        if (statement["verb"] is not JsonObject verb || verb["id"] is not JsonValue verbIdNode || verbIdNode.GetValueKind() != JsonValueKind.String
            || !IsIri(verbIdNode.GetValue<string>()))
        {
            return (null, "'verb' must be an object whose 'id' is an IRI.");
        }
        var verbId = verbIdNode.GetValue<string>();
        if (statement["object"] is not JsonObject target)
        {
            return (null, "'object' is required (an Activity, Agent, Group, StatementRef or SubStatement).");
        }
        var objectType = target["objectType"] is JsonValue ot && ot.GetValueKind() == JsonValueKind.String ? ot.GetValue<string>() : "Activity";
        string? objectId = null;
        if (objectType is "Activity" or "StatementRef")
        {
            if (target["id"] is not JsonValue oid || oid.GetValueKind() != JsonValueKind.String)
            {
                return (null, $"An {objectType} object needs an 'id'.");
            }
            objectId = oid.GetValue<string>();
            if (objectType == "Activity" && !IsIri(objectId))
            {
                return (null, "An Activity's 'id' must be an IRI.");
            }
            if (objectType == "StatementRef" && !Guid.TryParse(objectId, out _))
            {
                return (null, "A StatementRef's 'id' must be a UUID.");
            }
        }
        else if (objectType is not ("Agent" or "Group" or "SubStatement"))
        {
            return (null, $"'object.objectType' '{objectType}' is not one of Activity, Agent, Group, StatementRef, SubStatement.");
        }
        if (verbId == VoidedVerb && objectType != "StatementRef")
        {
            return (null, "A voiding statement's object must be a StatementRef.");
        }
        DateTimeOffset timestamp = stored;
        if (statement["timestamp"] is { } ts)
        {
            if (ts.GetValueKind() != JsonValueKind.String
                || !DateTimeOffset.TryParse(ts.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out timestamp))
            {
                return (null, "'timestamp' must be an ISO 8601 date and time.");
            }
        }
        var result = statement["result"] as JsonObject;
        if (statement["result"] is not null && result is null)
        {
            return (null, "'result' must be an object.");
        }
        var context = statement["context"] as JsonObject;
        if (statement["context"] is not null && context is null)
        {
            return (null, "'context' must be an object.");
        }

        // What is kept: the statement as the LRS returns it, less the actor (re-identified on read from the directory).
        var kept = (JsonObject)statement.DeepClone();
        kept.Remove("actor");
        kept["id"] = id;
        kept["timestamp"] = timestamp.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        kept["stored"] = stored.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        kept["authority"] = new JsonObject
        {
            ["objectType"] = "Agent",
            ["account"] = new JsonObject { ["homePage"] = "urn:cairn:lrs", ["name"] = authorityName },
        };
        kept["version"] ??= "1.0.0";
        NormalizeContextActivities(kept["context"]);
        if (objectType == "SubStatement" && kept["object"] is JsonObject sub)
        {
            NormalizeContextActivities(sub["context"]);
        }

        var data = new JsonObject
        {
            ["verb"] = verbId,
            ["actorType"] = actor.ObjectType,
        };
        if (objectId is not null)
        {
            data["objectId"] = objectId;
        }
        data["objectType"] = objectType;
        if (result?["success"] is JsonValue success && success.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
        {
            data["success"] = success.GetValue<bool>();
            data["passed"] = success.GetValue<bool>();
        }
        if (result?["completion"] is JsonValue completion && completion.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
        {
            data["completion"] = completion.GetValue<bool>();
        }
        if (result?["score"] is JsonObject score)
        {
            if (score["scaled"] is JsonValue scaled && scaled.GetValueKind() == JsonValueKind.Number)
            {
                var value = scaled.GetValue<double>();
                if (value is < -1 or > 1)
                {
                    return (null, "'result.score.scaled' must be between -1 and 1.");
                }
                data["scaled"] = value;
                // Mastery reads a percentage (docs/mastery.md): scaled 0.85 is 85.
                data["score"] = Math.Round(Math.Clamp(value, 0, 1) * 100, 2);
            }
            else if (score["raw"] is JsonValue raw && raw.GetValueKind() == JsonValueKind.Number)
            {
                data["raw"] = raw.GetValue<double>();
            }
        }
        if (context?["registration"] is JsonValue registration && registration.GetValueKind() == JsonValueKind.String)
        {
            if (!Guid.TryParse(registration.GetValue<string>(), out _))
            {
                return (null, "'context.registration' must be a UUID.");
            }
            data["registration"] = registration.GetValue<string>();
        }
        if (verbId == VoidedVerb)
        {
            data["voids"] = objectId;
        }
        data["statement"] = kept;

        var e = new JsonObject
        {
            ["eventId"] = id,
            ["eventType"] = EventTypeOf(verbId),
            ["timestamp"] = timestamp.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
            ["source"] = Source,
            ["playerId"] = actor.PlayerId,
            ["data"] = data,
        };
        return (e, null);
    }

    /// <summary>A context activity given as one object is returned as an array of one (xAPI 1.0.3, 2.4.6.2).</summary>
    private static void NormalizeContextActivities(JsonNode? context)
    {
        if (context?["contextActivities"] is not JsonObject activities)
        {
            return;
        }
        foreach (var (name, value) in activities.ToList())
        {
            if (value is JsonObject single)
            {
                activities[name] = new JsonArray(single.DeepClone());
            }
        }
    }

    /// <summary><c>xapi.</c> and the verb IRI's last segment, kept to the characters an eventType may hold (…/verbs/completed → xapi.completed).</summary>
    public static string EventTypeOf(string verbId)
    {
        var tail = verbId.TrimEnd('/');
        var cut = Math.Max(tail.LastIndexOf('/'), Math.Max(tail.LastIndexOf('#'), tail.LastIndexOf(':')));
        tail = cut >= 0 ? tail[(cut + 1)..] : tail;
        var name = new StringBuilder(EventTypePrefix);
        foreach (var c in tail)
        {
            if (name.Length >= 120)
            {
                break;
            }
            name.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' ? c : '_');
        }
        return name.Length == EventTypePrefix.Length ? EventTypePrefix + "verb" : name.ToString();
    }

    /// <summary>The raw player id of an actor (its one inverse functional identifier, prefixed by its kind), or an error; null when it is no object.</summary>
    public static ActorId? ActorIdentifier(JsonNode? node)
    {
        if (node is not JsonObject actor)
        {
            return null;
        }
        var objectType = actor["objectType"] is JsonValue t && t.GetValueKind() == JsonValueKind.String ? t.GetValue<string>() : "Agent";
        if (objectType is not ("Agent" or "Group"))
        {
            return new ActorId("", objectType, $"'actor.objectType' must be Agent or Group, not '{objectType}'.");
        }
        var ids = new List<string>();
        if (actor["mbox"] is { } mbox)
        {
            if (mbox.GetValueKind() != JsonValueKind.String || !mbox.GetValue<string>().StartsWith("mailto:", StringComparison.OrdinalIgnoreCase)
                || !mbox.GetValue<string>().Contains('@', StringComparison.Ordinal))
            {
                return new ActorId("", objectType, "'mbox' must be a mailto: IRI.");
            }
            ids.Add("mbox:" + mbox.GetValue<string>());
        }
        if (actor["mbox_sha1sum"] is { } sha)
        {
            if (sha.GetValueKind() != JsonValueKind.String || sha.GetValue<string>().Length != 40 || !sha.GetValue<string>().All(char.IsAsciiHexDigit))
            {
                return new ActorId("", objectType, "'mbox_sha1sum' must be 40 hex digits.");
            }
            ids.Add("mbox_sha1sum:" + sha.GetValue<string>().ToLowerInvariant());
        }
        if (actor["openid"] is { } openid)
        {
            if (openid.GetValueKind() != JsonValueKind.String || !IsIri(openid.GetValue<string>()))
            {
                return new ActorId("", objectType, "'openid' must be a URI.");
            }
            ids.Add("openid:" + openid.GetValue<string>());
        }
        if (actor["account"] is { } accountNode)
        {
            if (accountNode is not JsonObject account || account["homePage"] is not JsonValue home || home.GetValueKind() != JsonValueKind.String
                || !IsIri(home.GetValue<string>()) || account["name"] is not JsonValue name || name.GetValueKind() != JsonValueKind.String)
            {
                return new ActorId("", objectType, "'account' must have a 'homePage' IRI and a 'name'.");
            }
            ids.Add("account:" + home.GetValue<string>() + " " + name.GetValue<string>());
        }
        if (ids.Count != 1)
        {
            return new ActorId("", objectType, ids.Count == 0
                ? "The actor has no identifier: give exactly one of mbox, mbox_sha1sum, openid, account (anonymous groups are not stored; docs/xapi.md)."
                : "The actor has more than one identifier: give exactly one of mbox, mbox_sha1sum, openid, account.");
        }
        if (ids[0].Length > Ingest.EventValidator.MaxPlayerIdLength)
        {
            return new ActorId("", objectType, $"The actor's identifier is longer than {Ingest.EventValidator.MaxPlayerIdLength} characters.");
        }
        return new ActorId(ids[0], objectType, null);
    }

    /// <summary>The actor object of a raw player id made by <see cref="ActorIdentifier"/>.</summary>
    public static JsonObject ActorOf(string rawPlayerId, string objectType)
    {
        var actor = new JsonObject { ["objectType"] = objectType };
        var colon = rawPlayerId.IndexOf(':', StringComparison.Ordinal);
        var (kind, value) = colon < 0 ? ("", rawPlayerId) : (rawPlayerId[..colon], rawPlayerId[(colon + 1)..]);
        switch (kind)
        {
            case "mbox" or "mbox_sha1sum" or "openid":
                actor[kind] = value;
                break;
            case "account" when value.LastIndexOf(' ') is var space and > 0:
                actor["account"] = new JsonObject { ["homePage"] = value[..space], ["name"] = value[(space + 1)..] };
                break;
            default:
                actor["account"] = new JsonObject { ["homePage"] = "urn:cairn:player", ["name"] = rawPlayerId };
                break;
        }
        return actor;
    }

    /// <summary>The pseudonymous actor a caller sees who may not re-identify: the playerKey as an account.</summary>
    public static JsonObject PseudonymOf(string playerKey, string objectType) => new()
    {
        ["objectType"] = objectType,
        ["account"] = new JsonObject { ["homePage"] = "urn:cairn:playerKey", ["name"] = playerKey },
    };

    private static bool IsIri(string value) =>
        value.Length is > 0 and <= 2048 && Uri.TryCreate(value, UriKind.Absolute, out _);
}
