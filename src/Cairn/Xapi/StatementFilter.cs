using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cairn.Identity;
using Cairn.Storage;

namespace Cairn.Xapi;

/// <summary>
/// The filters of <c>GET /xapi/statements</c>. The agent becomes a playerKey and the verb an eventType, which the store
/// filters on; the verb IRI, the activity and the registration are checked on each statement read.
/// </summary>
internal sealed class StatementFilter
{
    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        "agent", "verb", "activity", "registration", "related_activities", "related_agents", "since", "until", "limit",
        "format", "attachments", "ascending", "after",
    };

    public string? PlayerKey { get; private init; }
    public IReadOnlyCollection<string>? EventTypes { get; private init; }
    public string? Verb { get; private init; }
    public string? Activity { get; private init; }
    public bool RelatedActivities { get; private init; }
    public string? Registration { get; private init; }
    public DateTimeOffset? Since { get; private init; }
    public DateTimeOffset? Until { get; private init; }
    public int Limit { get; private init; }
    public bool Ascending { get; private init; }
    public long? AfterSeq { get; private init; }

    public static (StatementFilter? Filter, string? Error) Parse(IQueryCollection query, string orgId, PlayerKeyring keyring)
    {
        foreach (var name in query.Keys)
        {
            if (!Known.Contains(name))
            {
                return (null, $"Unknown parameter '{name}'.");
            }
        }
        string? playerKey = null;
        if (query["agent"].ToString() is { Length: > 0 } agentText)
        {
            JsonNode? agent;
            try
            {
                agent = JsonNode.Parse(agentText);
            }
            catch (JsonException)
            {
                return (null, "'agent' must be an Agent as JSON.");
            }
            if (StatementMapper.ActorIdentifier(agent) is not { Error: null } id)
            {
                return (null, "'agent' must be an Agent with exactly one of mbox, mbox_sha1sum, openid, account.");
            }
            playerKey = keyring.Current.Compute(orgId, id.PlayerId);
        }
        string? verb = null;
        if (query["verb"].ToString() is { Length: > 0 } verbText)
        {
            if (!Uri.TryCreate(verbText, UriKind.Absolute, out _))
            {
                return (null, "'verb' must be an IRI.");
            }
            verb = verbText;
        }
        string? activity = null;
        if (query["activity"].ToString() is { Length: > 0 } activityText)
        {
            if (!Uri.TryCreate(activityText, UriKind.Absolute, out _))
            {
                return (null, "'activity' must be an IRI.");
            }
            activity = activityText;
        }
        string? registration = null;
        if (query["registration"].ToString() is { Length: > 0 } registrationText)
        {
            if (!Guid.TryParse(registrationText, out _))
            {
                return (null, "'registration' must be a UUID.");
            }
            registration = registrationText;
        }
        if (!TryTime(query["since"], out var since) || !TryTime(query["until"], out var until))
        {
            return (null, "'since' and 'until' take an ISO 8601 timestamp.");
        }
        var limit = MaxLimitOr(query["limit"].ToString(), out var limitError);
        if (limitError is not null)
        {
            return (null, limitError);
        }
        if (!TryBool(query["ascending"], out var ascending) || !TryBool(query["related_activities"], out var related)
            || !TryBool(query["related_agents"], out _) || !TryBool(query["attachments"], out _))
        {
            return (null, "'ascending', 'related_activities', 'related_agents' and 'attachments' take true or false.");
        }
        if (query["format"].ToString() is { Length: > 0 } format && format is not ("exact" or "ids" or "canonical"))
        {
            return (null, "'format' must be exact, ids or canonical.");
        }
        long? after = null;
        if (query["after"].ToString() is { Length: > 0 } afterText)
        {
            if (!long.TryParse(afterText, NumberStyles.None, CultureInfo.InvariantCulture, out var seq))
            {
                return (null, "'after' is the cursor of a 'more' link; follow the link as given.");
            }
            after = seq;
        }
        return (new StatementFilter
        {
            PlayerKey = playerKey,
            EventTypes = verb is null ? null : [StatementMapper.EventTypeOf(verb)],
            Verb = verb,
            Activity = activity,
            RelatedActivities = related,
            Registration = registration,
            Since = since,
            Until = until,
            Limit = limit,
            Ascending = ascending,
            AfterSeq = after,
        }, null);
    }

    public bool Matches(StoredEvent e)
    {
        var data = e.Data;
        if (Verb is not null && (!data.TryGetProperty("verb", out var v) || v.GetString() != Verb))
        {
            return false;
        }
        if (Registration is not null
            && (!data.TryGetProperty("registration", out var r) || !string.Equals(r.GetString(), Registration, StringComparison.OrdinalIgnoreCase)))
        {
            return false;
        }
        if (Activity is not null)
        {
            var direct = data.TryGetProperty("objectId", out var o) && data.TryGetProperty("objectType", out var ot)
                && ot.GetString() == "Activity" && o.GetString() == Activity;
            if (!direct && !(RelatedActivities && MentionsActivity(data.GetProperty("statement"), Activity)))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Whether the activity is the object of a sub-statement or among the context activities.</summary>
    private static bool MentionsActivity(JsonElement statement, string activity)
    {
        if (statement.TryGetProperty("object", out var target) && target.ValueKind == JsonValueKind.Object)
        {
            if (target.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String && id.GetString() == activity)
            {
                return true;
            }
            if (target.TryGetProperty("objectType", out var type) && type.GetString() == "SubStatement" && MentionsActivity(target, activity))
            {
                return true;
            }
        }
        if (statement.TryGetProperty("context", out var context) && context.ValueKind == JsonValueKind.Object
            && context.TryGetProperty("contextActivities", out var activities) && activities.ValueKind == JsonValueKind.Object)
        {
            foreach (var group in activities.EnumerateObject())
            {
                var list = group.Value.ValueKind == JsonValueKind.Array ? group.Value.EnumerateArray().ToList() : [group.Value];
                if (list.Any(a => a.ValueKind == JsonValueKind.Object && a.TryGetProperty("id", out var aid) && aid.GetString() == activity))
                {
                    return true;
                }
            }
        }
        return false;
    }

    /// <summary>The link to the next page: the same query, continued after the last statement returned.</summary>
    public string MoreLink(HttpRequest request, long afterSeq)
    {
        var parts = request.Query.Where(p => p.Key != "after")
            .Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value.ToString())).ToList();
        parts.Add("after=" + afterSeq.ToString(CultureInfo.InvariantCulture));
        return "/xapi/statements?" + string.Join('&', parts);
    }

    private static int MaxLimitOr(string text, out string? error)
    {
        error = null;
        if (text.Length == 0)
        {
            return XapiApi.MaxLimit;
        }
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var limit))
        {
            error = "'limit' must be a non-negative integer.";
            return 0;
        }
        return limit == 0 ? XapiApi.MaxLimit : Math.Min(limit, XapiApi.MaxLimit);
    }

    private static bool TryTime(string? text, out DateTimeOffset? value)
    {
        value = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            value = parsed;
            return true;
        }
        return false;
    }

    private static bool TryBool(string? text, out bool value)
    {
        value = false;
        return string.IsNullOrEmpty(text) || bool.TryParse(text, out value);
    }
}
