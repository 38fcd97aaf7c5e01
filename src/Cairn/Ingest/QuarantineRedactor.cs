using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Cairn.Ingest;

/// <summary>
/// What the quarantine may keep of a rejected event: never a raw identity. Every value of a field whose name looks
/// like an identity (player / user / student … id, e-mail, name, IP address; compared without case and without
/// separators, so <c>PlayerId</c>, <c>player-id</c> and <c>user.id</c> all count, nested objects included) is
/// replaced by <see cref="Redacted"/>, and every e-mail or IP address inside any other string is replaced too. The
/// first id-like value becomes the row's playerKey, so erasure finds the row.
/// </summary>
internal static partial class QuarantineRedactor
{
    public const string Redacted = "[redacted]";

    private const string RedactedEmail = "[redacted-email]";
    private const string RedactedIp = "[redacted-ip]";

    /// <summary>Who may be the player: their ids are candidates for the row's playerKey.</summary>
    private static readonly HashSet<string> Players = new(StringComparer.Ordinal)
    {
        "player", "user", "student", "learner", "pupil", "child", "person", "account", "member", "actor",
    };

    /// <summary>Other people an event may name: everything of theirs is redacted, none of it becomes the playerKey.</summary>
    private static readonly HashSet<string> OtherPeople = new(StringComparer.Ordinal)
    {
        "teacher", "parent", "guardian", "customer",
    };

    private static readonly HashSet<string> IdSuffixes = new(StringComparer.Ordinal)
    {
        "id", "ids", "uuid", "guid", "login", "handle", "number", "no", "code", "ref",
    };

    private static readonly HashSet<string> PersonalSuffixes = new(StringComparer.Ordinal)
    {
        "name", "names", "firstname", "lastname", "fullname", "displayname", "givenname", "familyname", "surname", "middlename", "nickname",
        "realname", "key", "ip", "ipaddress", "phone", "phonenumber", "address", "dob", "dateofbirth", "birthdate", "birthday",
    };

    private static readonly HashSet<string> KeyableNames = new(StringComparer.Ordinal)
    {
        "uid", "username", "login", "loginname", "userprincipalname", "upn",
    };

    private static readonly HashSet<string> PersonalNames = new(StringComparer.Ordinal)
    {
        "name", "firstname", "lastname", "fullname", "displayname", "givenname", "familyname", "surname", "middlename", "nickname", "realname",
        "ip", "ipaddress", "ipaddr", "ipv4", "ipv6", "remoteaddr", "remoteaddress", "remoteip", "clientip", "clientaddr", "clientaddress",
        "xforwardedfor", "forwardedfor", "xrealip", "sourceip", "srcip", "phone", "phonenumber", "mobile", "telephone",
        "dob", "dateofbirth", "birthdate", "birthday", "streetaddress", "homeaddress", "postaladdress",
    };

    /// <summary>How a field is treated, by its name; the ranks above Personal order the candidates for the playerKey.</summary>
    private enum Kind
    {
        None = -1,
        Personal = 0,
        Id = 1,
        Email = 2,
        Login = 3,
    }

    [GeneratedRegex(@"[\w.%+\-]+@[\w\-]+(?:\.[\w\-]+)+", RegexOptions.CultureInvariant)]
    private static partial Regex Email();

    [GeneratedRegex(@"(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![\d.])", RegexOptions.CultureInvariant)]
    private static partial Regex IPv4();

    [GeneratedRegex(@"(?<![\w:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:])", RegexOptions.CultureInvariant)]
    private static partial Regex IPv6();

    /// <summary>
    /// Redacts <paramref name="obj"/> in place. The canonical id fields at the top (<c>playerId</c> and its aliases)
    /// are removed and the playerKey of the first id-like value is set as <c>playerKey</c>.
    /// </summary>
    /// <returns>That playerKey, or null when the event holds no id-like value.</returns>
    public static string? Redact(JsonObject obj, Func<string, string> keyOf)
    {
        var candidates = new List<(int Priority, string Raw)>();
        foreach (var field in EventNormalizer.IdentityFields)
        {
            if (obj[field] is { } value)
            {
                obj.Remove(field);
                if (ScalarText(value) is { } raw)
                {
                    candidates.Add((0, raw));
                }
            }
        }
        Walk(obj, "", 1, candidates);
        var best = candidates.OrderBy(c => c.Priority).Select(c => c.Raw).FirstOrDefault();
        var playerKey = best is null ? null : keyOf(best);
        if (playerKey is not null)
        {
            obj["playerKey"] = playerKey;
        }
        return playerKey;
    }

    /// <summary>The text with every e-mail and IP address in it replaced.</summary>
    /// <remarks>U+0000 becomes U+FFFD as well: PostgreSQL keeps no U+0000 in text or jsonb.</remarks>
    public static string Scrub(string text)
    {
        text = text.Replace('\0', '\uFFFD');
        if (text.Contains('@', StringComparison.Ordinal))
        {
            text = Email().Replace(text, RedactedEmail);
        }
        if (text.Contains('.', StringComparison.Ordinal))
        {
            text = IPv4().Replace(text, RedactedIp);
        }
        if (text.Contains(':', StringComparison.Ordinal))
        {
            text = IPv6().Replace(text, m => m.Value.Any(char.IsAsciiHexDigit) && IPAddress.TryParse(m.Value, out _) ? RedactedIp : m.Value);
        }
        return text;
    }

    /// <summary>What is kept of input that is not an event object: its size and a keyed hash, never its bytes.</summary>
    public static string Withheld(int bytes, string hmac) =>
        $"{{\"withheld\":true,\"bytes\":{bytes},\"hmac\":\"{hmac}\"}}";

    private static void Walk(JsonObject obj, string prefix, int depth, List<(int Priority, string Raw)> candidates)
    {
        foreach (var (name, value) in obj.ToArray())
        {
            var normalized = Normalize(name);
            var kind = prefix.Length > 0 ? Classify(prefix + normalized) : Kind.None;
            if (kind == Kind.None)
            {
                kind = Classify(normalized);
            }
            var key = Scrub(name);
            if (key != name)
            {
                obj.Remove(name);
                while (obj.ContainsKey(key))
                {
                    key += "_";
                }
                obj[key] = value;
            }
            if (value is null)
            {
                continue;
            }
            if (kind == Kind.None)
            {
                if (Visit(value, depth + 1, candidates) is var visited && !ReferenceEquals(visited, value))
                {
                    obj[key] = visited;
                }
                continue;
            }
            if (value is JsonObject inner && (Players.Contains(normalized) || OtherPeople.Contains(normalized)))
            {
                // "user": {"id": …, "level": 3}: the children are judged as user.id, user.level.
                Walk(inner, normalized, depth + 1, candidates);
                continue;
            }
            if (kind != Kind.Personal)
            {
                // A closer match first, then the shallower field: a top-level PlayerId beats data.user.id and an e-mail.
                foreach (var raw in Scalars(value))
                {
                    candidates.Add(((int)kind * 1000 + depth, raw));
                }
            }
            obj[key] = Redacted;
        }
    }

    /// <returns>The node itself, changed in place, or a new value to put in its place.</returns>
    private static JsonNode Visit(JsonNode node, int depth, List<(int Priority, string Raw)> candidates)
    {
        switch (node)
        {
            case JsonObject obj:
                Walk(obj, "", depth, candidates);
                return obj;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is { } item && Visit(item, depth, candidates) is var visited && !ReferenceEquals(visited, item))
                    {
                        array[i] = visited;
                    }
                }
                return array;
            default:
                if (node is JsonValue value && value.GetValueKind() == JsonValueKind.String)
                {
                    var text = value.GetValue<string>();
                    var scrubbed = Scrub(text);
                    return scrubbed == text ? node : JsonValue.Create(scrubbed);
                }
                return node;
        }
    }

    private static Kind Classify(string name)
    {
        if (name.EndsWith("email", StringComparison.Ordinal) || name.EndsWith("emailaddress", StringComparison.Ordinal)
            || name.EndsWith("emails", StringComparison.Ordinal) || name is "mail" or "mbox")
        {
            return Kind.Email;
        }
        if (KeyableNames.Contains(name) || Players.Contains(name))
        {
            return Kind.Login;
        }
        if (OtherPeople.Contains(name))
        {
            return Kind.Personal;
        }
        if (PersonalNames.Contains(name) || name.EndsWith("ipaddress", StringComparison.Ordinal) || name.EndsWith("ipaddr", StringComparison.Ordinal))
        {
            return Kind.Personal;
        }
        foreach (var person in Players)
        {
            if (name.StartsWith(person, StringComparison.Ordinal))
            {
                var suffix = name[person.Length..];
                if (IdSuffixes.Contains(suffix))
                {
                    return Kind.Id;
                }
                if (PersonalSuffixes.Contains(suffix))
                {
                    return Kind.Personal;
                }
            }
        }
        foreach (var person in OtherPeople)
        {
            if (name.StartsWith(person, StringComparison.Ordinal)
                && name[person.Length..] is var suffix && (IdSuffixes.Contains(suffix) || PersonalSuffixes.Contains(suffix)))
            {
                return Kind.Personal;
            }
        }
        return Kind.None;
    }

    /// <summary>Lower case, letters and digits only: <c>Player_ID</c>, <c>player-id</c> and <c>user.id</c> become <c>playerid</c>, <c>userid</c>.</summary>
    private static string Normalize(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            if (char.IsLetterOrDigit(c))
            {
                builder.Append(char.ToLowerInvariant(c));
            }
        }
        return builder.ToString();
    }

    private static IEnumerable<string> Scalars(JsonNode node) => node switch
    {
        JsonArray array => array.Where(i => i is not null).SelectMany(i => Scalars(i!)),
        JsonObject => [],
        _ => ScalarText(node) is { } text ? [text] : [],
    };

    private static string? ScalarText(JsonNode node)
    {
        if (node is not JsonValue value)
        {
            return null;
        }
        var text = value.GetValueKind() switch
        {
            JsonValueKind.String => value.GetValue<string>(),
            JsonValueKind.Number => value.ToJsonString(),
            _ => null,
        };
        return string.IsNullOrWhiteSpace(text) ? null : text;
    }
}
