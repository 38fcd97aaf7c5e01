using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Cairn.Xapi;

/// <summary>
/// The structural rules of a statement that the mapper does not already need (xAPI Data, section 2): no nulls outside
/// extensions, every Agent and Group well-formed wherever it appears (context instructor and team, sub-statements,
/// authority), result types, ISO 8601 timestamps and durations, interaction types.
/// </summary>
internal static partial class StatementValidator
{
    private static readonly HashSet<string> InteractionTypes = new(StringComparer.Ordinal)
    {
        "true-false", "choice", "fill-in", "long-fill-in", "matching", "performance", "sequencing", "likert", "numeric", "other",
    };

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}(:?\d{2})?)$", RegexOptions.CultureInvariant)]
    private static partial Regex Timestamp();

    [GeneratedRegex(@"^[12]\.0(\.\d+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex StatementVersion();

    [GeneratedRegex(@"^P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Duration();

    /// <summary>Why the statement is invalid, or null.</summary>
    public static string? Check(JsonObject statement) =>
        NoNulls(statement, "statement") ?? CheckStatement(statement, sub: false);

    public static bool IsTimestamp(string value) => Timestamp().IsMatch(value) && !value.EndsWith("-00:00", StringComparison.Ordinal)
        && !value.EndsWith("-0000", StringComparison.Ordinal) && !value.EndsWith("-00", StringComparison.Ordinal);

    private static string? NoNulls(JsonNode? node, string path)
    {
        switch (node)
        {
            case null:
                return $"'{path}' is null.";
            case JsonObject obj:
                foreach (var (name, value) in obj)
                {
                    if (name == "extensions")
                    {
                        continue;
                    }
                    if (NoNulls(value, path + "." + name) is { } error)
                    {
                        return error;
                    }
                }
                return null;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (NoNulls(array[i], $"{path}[{i}]") is { } error)
                    {
                        return error;
                    }
                }
                return null;
            default:
                return null;
        }
    }

    /// <summary>A UUID in its standard string form (8-4-4-4-12 hex digits).</summary>
    public static bool IsUuid(JsonNode? node) => String(node) is { Length: 36 } text && Guid.TryParseExact(text, "D", out _);

    private static string? CheckStatement(JsonObject statement, bool sub)
    {
        if (statement["version"] is { } versionNode && (String(versionNode) is not { } version || !StatementVersion().IsMatch(version)))
        {
            return "'version' must be 1.0, 1.0.x, 2.0 or 2.0.x.";
        }
        if (sub && (statement["verb"] is not JsonObject subVerb || String(subVerb["id"]) is null))
        {
            return "A SubStatement's verb needs an 'id'.";
        }
        if (statement["object"] is JsonObject reference && String(reference["objectType"]) == "StatementRef" && !IsUuid(reference["id"]))
        {
            return "A StatementRef's 'id' must be a UUID.";
        }
        if (statement["actor"] is { } actor && Agent(actor, "actor", allowAnonymousGroup: true) is { } actorError)
        {
            return actorError;
        }
        if (statement["verb"] is JsonObject verb && verb["display"] is { } display && display is not JsonObject)
        {
            return "'verb.display' must be a language map.";
        }
        if (statement["object"] is JsonObject target)
        {
            var type = String(target["objectType"]) ?? "Activity";
            if (type is "Agent" or "Group" && Agent(target, "object", allowAnonymousGroup: true) is { } objectError)
            {
                return objectError;
            }
            if (type == "SubStatement")
            {
                if (sub)
                {
                    return "A SubStatement cannot hold a SubStatement.";
                }
                foreach (var forbidden in new[] { "id", "stored", "version", "authority" })
                {
                    if (target.ContainsKey(forbidden))
                    {
                        return $"A SubStatement has no '{forbidden}'.";
                    }
                }
                if (target["actor"] is null || target["verb"] is not JsonObject || target["object"] is not JsonObject)
                {
                    return "A SubStatement needs an actor, a verb and an object.";
                }
                if (CheckStatement(target, sub: true) is { } subError)
                {
                    return subError;
                }
            }
            if (type == "Activity" && target["definition"] is { } definition)
            {
                if (definition is not JsonObject def)
                {
                    return "'object.definition' must be an object.";
                }
                if (def["interactionType"] is { } interaction && (String(interaction) is not { } it || !InteractionTypes.Contains(it)))
                {
                    return "'object.definition.interactionType' must be one of " + string.Join(", ", InteractionTypes) + ".";
                }
                foreach (var map in new[] { "name", "description" })
                {
                    if (def[map] is { } m && m is not JsonObject)
                    {
                        return $"'object.definition.{map}' must be a language map.";
                    }
                }
            }
        }
        if (statement["result"] is JsonObject result && Result(result) is { } resultError)
        {
            return resultError;
        }
        if (statement["context"] is JsonObject context)
        {
            if (context["instructor"] is { } instructor && Agent(instructor, "context.instructor", allowAnonymousGroup: true) is { } instructorError)
            {
                return instructorError;
            }
            if (context["team"] is { } team && (String(team["objectType"]) != "Group" || Agent(team, "context.team", allowAnonymousGroup: true) is not null))
            {
                return Agent(team, "context.team", allowAnonymousGroup: true) ?? "'context.team' must be a Group.";
            }
            if (context["registration"] is { } registration && !IsUuid(registration))
            {
                return "'context.registration' must be a UUID.";
            }
            if (context["statement"] is { } contextStatement
                && (contextStatement is not JsonObject cs || String(cs["objectType"]) != "StatementRef" || !IsUuid(cs["id"])))
            {
                return "'context.statement' must be a StatementRef with a UUID 'id'.";
            }
            foreach (var text in new[] { "revision", "platform", "language" })
            {
                if (context[text] is { } value && String(value) is null)
                {
                    return $"'context.{text}' must be a string.";
                }
            }
            if (context["contextActivities"] is { } activities && activities is not JsonObject)
            {
                return "'context.contextActivities' must be an object.";
            }
        }
        else if (statement["context"] is not null)
        {
            return "'context' must be an object.";
        }
        if (statement["timestamp"] is { } ts && (String(ts) is not { } t || !IsTimestamp(t)))
        {
            return "'timestamp' must be an ISO 8601 date and time with a time zone.";
        }
        if (statement["authority"] is { } authority)
        {
            if (Agent(authority, "authority", allowAnonymousGroup: true) is { } authorityError)
            {
                return authorityError;
            }
            // A Group authority is only the anonymous pair of an OAuth consumer and user (xAPI Data 2.4.9).
            if (String(authority["objectType"]) == "Group" && (authority["member"] is not JsonArray { Count: 2 }
                || authority.AsObject().ContainsKey("mbox") || authority.AsObject().ContainsKey("mbox_sha1sum") || authority.AsObject().ContainsKey("openid") || authority.AsObject().ContainsKey("account")))
            {
                return "A Group 'authority' must be an anonymous group of exactly two Agents.";
            }
        }
        return null;
    }

    private static string? Result(JsonObject result)
    {
        foreach (var flag in new[] { "success", "completion" })
        {
            if (result[flag] is { } value && value.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
            {
                return $"'result.{flag}' must be true or false.";
            }
        }
        if (result["response"] is { } response && String(response) is null)
        {
            return "'result.response' must be a string.";
        }
        if (result["duration"] is { } duration && (String(duration) is not { } d || !Duration().IsMatch(d)))
        {
            return "'result.duration' must be an ISO 8601 duration.";
        }
        if (result["score"] is { } scoreNode)
        {
            if (scoreNode is not JsonObject score)
            {
                return "'result.score' must be an object.";
            }
            double? Number(string name) => score[name] is JsonValue v && v.GetValueKind() == JsonValueKind.Number ? v.GetValue<double>() : null;
            foreach (var name in new[] { "scaled", "raw", "min", "max" })
            {
                if (score[name] is not null && Number(name) is null)
                {
                    return $"'result.score.{name}' must be a number.";
                }
            }
            var (scaled, raw, min, max) = (Number("scaled"), Number("raw"), Number("min"), Number("max"));
            if (scaled is < -1 or > 1)
            {
                return "'result.score.scaled' must be between -1 and 1.";
            }
            if ((min is not null && max is not null && min > max) || (raw is not null && ((min is not null && raw < min) || (max is not null && raw > max))))
            {
                return "'result.score' must have min <= raw <= max.";
            }
        }
        return null;
    }

    /// <summary>An Agent or Group wherever it appears: one identifier (none only for an anonymous group with members).</summary>
    private static string? Agent(JsonNode node, string path, bool allowAnonymousGroup)
    {
        if (node is not JsonObject agent)
        {
            return $"'{path}' must be an Agent or Group object.";
        }
        var type = agent["objectType"] is null ? "Agent" : String(agent["objectType"]);
        if (type is not ("Agent" or "Group"))
        {
            return $"'{path}.objectType' must be Agent or Group.";
        }
        if (agent["name"] is { } name && String(name) is null)
        {
            return $"'{path}.name' must be a string.";
        }
        var ifis = 0;
        foreach (var ifi in new[] { "mbox", "mbox_sha1sum", "openid", "account" })
        {
            if (agent.ContainsKey(ifi))
            {
                ifis++;
            }
        }
        if (agent["mbox"] is { } mbox && (String(mbox) is not { } m || !m.StartsWith("mailto:", StringComparison.Ordinal) || !m.Contains('@', StringComparison.Ordinal)))
        {
            return $"'{path}.mbox' must be a mailto: IRI.";
        }
        if (agent["mbox_sha1sum"] is { } sha && (String(sha) is not { } s || s.Length != 40 || !s.All(char.IsAsciiHexDigit)))
        {
            return $"'{path}.mbox_sha1sum' must be 40 hex digits.";
        }
        if (agent["openid"] is { } openid && (String(openid) is not { } o || !Uri.TryCreate(o, UriKind.Absolute, out _)))
        {
            return $"'{path}.openid' must be a URI.";
        }
        if (agent["account"] is { } accountNode && (accountNode is not JsonObject account || String(account["homePage"]) is not { } home
            || !Uri.TryCreate(home, UriKind.Absolute, out _) || String(account["name"]) is null))
        {
            return $"'{path}.account' must have a 'homePage' IRI and a 'name' string.";
        }
        if (ifis > 1)
        {
            return $"'{path}' has more than one of mbox, mbox_sha1sum, openid, account.";
        }
        if (type == "Agent")
        {
            if (ifis == 0)
            {
                return $"'{path}' needs one of mbox, mbox_sha1sum, openid, account.";
            }
            if (agent.ContainsKey("member"))
            {
                return $"'{path}' is an Agent: it has no 'member'.";
            }
            return null;
        }
        if (agent["member"] is { } members)
        {
            if (members is not JsonArray list)
            {
                return $"'{path}.member' must be an array of Agents.";
            }
            foreach (var member in list)
            {
                if (member is null || String(member["objectType"]) == "Group" || Agent(member, path + ".member", allowAnonymousGroup: false) is not null)
                {
                    return member is null ? $"'{path}.member' holds null." : Agent(member, path + ".member", false) ?? $"'{path}.member' must hold Agents.";
                }
            }
        }
        if (ifis == 0 && (!allowAnonymousGroup || agent["member"] is not JsonArray { Count: > 0 }))
        {
            return $"'{path}' is an anonymous Group: it needs members.";
        }
        return null;
    }

    private static string? String(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
}
