using System.Globalization;
using System.Text.Json;
using Cairn.Access;
using Cairn.Catalogs;
using Cairn.Leaderboards;

namespace Cairn.Funnels;

/// <summary>
/// Reads a funnel query's JSON body; every mistake is a 400 naming the field. Patterns are the catalog's, written in JSON:
/// <c>{"eventType":"LevelDone","data":{"level":1}}</c>, <c>{"data":{"level":{"in":[1,2]}}}</c>, or just the event type as a string.
/// </summary>
internal static class FunnelQueryParser
{
    private static readonly string[] Keys = ["steps", "windowSeconds", "order", "from", "to", "scope", "breakdown", "exclusions"];

    internal sealed record Query(FunnelDefinition Funnel, DateTimeOffset? From, DateTimeOffset? To, string? Scope);

    public static Query Parse(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw Bad("the body must be a JSON object with 'steps'");
        }
        foreach (var property in body.EnumerateObject())
        {
            if (!Keys.Contains(property.Name))
            {
                throw Bad($"unknown field '{property.Name}' (expected one of: {string.Join(", ", Keys)})");
            }
        }
        if (!body.TryGetProperty("steps", out var stepsNode) || stepsNode.ValueKind != JsonValueKind.Array || stepsNode.GetArrayLength() is 0 or > FunnelDefinition.MaxSteps)
        {
            throw Bad($"'steps' is required: a list of 1 to {FunnelDefinition.MaxSteps} event patterns");
        }
        var steps = stepsNode.EnumerateArray().Select((s, i) => Pattern(s, $"steps[{i}]")).ToList();
        var window = FunnelDefinition.DefaultWindowSeconds;
        if (body.TryGetProperty("windowSeconds", out var w))
        {
            window = w.ValueKind == JsonValueKind.Number && w.TryGetInt64(out var n) && n is >= 1 and <= FunnelDefinition.MaxWindowSeconds
                ? n
                : throw Bad($"'windowSeconds' must be a whole number from 1 to {FunnelDefinition.MaxWindowSeconds} (366 days)");
        }
        var order = body.TryGetProperty("order", out var o) ? Order(o.ValueKind == JsonValueKind.String ? o.GetString() : null) ?? throw Bad("'order' must be ordered, strict or any") : FunnelOrder.Ordered;
        string? breakdown = null;
        if (body.TryGetProperty("breakdown", out var b) && b.ValueKind != JsonValueKind.Null)
        {
            breakdown = b.ValueKind == JsonValueKind.String && FunnelDefinition.BreakdownPattern().IsMatch(b.GetString()!)
                ? b.GetString()
                : throw Bad("'breakdown' must name a field of device, context or data: device.platform, context.class, data.level");
        }
        var exclusions = new List<FunnelExclusion>();
        if (body.TryGetProperty("exclusions", out var x) && x.ValueKind != JsonValueKind.Null)
        {
            if (x.ValueKind != JsonValueKind.Array || x.GetArrayLength() > 10)
            {
                throw Bad("'exclusions' must be a list of at most 10 {\"pattern\":…, \"between\":[i, j]}");
            }
            var i = 0;
            foreach (var item in x.EnumerateArray())
            {
                exclusions.Add(Exclusion(item, $"exclusions[{i++}]", steps.Count, order));
            }
        }
        var funnel = new FunnelDefinition(steps, window, order, exclusions, breakdown);
        return new Query(funnel, Time(body, "from"), Time(body, "to"), body.TryGetProperty("scope", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null);
    }

    public static FunnelOrder? Order(string? text) => text switch
    {
        "ordered" => FunnelOrder.Ordered,
        "strict" => FunnelOrder.Strict,
        "any" => FunnelOrder.Any,
        _ => null,
    };

    /// <summary>Checks an exclusion's steps (shared with the catalog's saved funnels): 0 ≤ i &lt; j &lt; steps, and an order with one.</summary>
    public static string? ExclusionProblem(int from, int to, int steps, FunnelOrder order) =>
        order == FunnelOrder.Any ? "exclusions need the ordered or strict order (with 'any' there is no 'between two steps')"
        : from < 0 || to <= from || to >= steps ? $"'between' must be two step indexes [i, j], 0 ≤ i < j ≤ {steps - 1} (0 is the first step)"
        : null;

    private static FunnelExclusion Exclusion(JsonElement item, string what, int steps, FunnelOrder order)
    {
        if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("pattern", out var pattern) || !item.TryGetProperty("between", out var between)
            || between.ValueKind != JsonValueKind.Array || between.GetArrayLength() != 2
            || between.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out _)))
        {
            throw Bad($"{what} must be {{\"pattern\":…, \"between\":[i, j]}} with two step indexes");
        }
        var (i, j) = (between[0].GetInt32(), between[1].GetInt32());
        if (ExclusionProblem(i, j, steps, order) is { } problem)
        {
            throw Bad($"{what}: {problem}");
        }
        return new FunnelExclusion(Pattern(pattern, what + ".pattern"), i, j);
    }

    private static EventPattern Pattern(JsonElement node, string what)
    {
        if (node.ValueKind == JsonValueKind.String)
        {
            return AdminApi.Identifier().IsMatch(node.GetString()!) ? new EventPattern(node.GetString()!, []) : throw Bad($"{what} must be an event type or a pattern");
        }
        if (node.ValueKind != JsonValueKind.Object)
        {
            throw Bad($"{what} must be an event type or a pattern {{\"eventType\":…, \"data\":{{…}}}}");
        }
        string? name = null;
        string? eventType = null;
        var data = new List<(string, IReadOnlyList<string>)>();
        foreach (var property in node.EnumerateObject())
        {
            switch (property.Name)
            {
                case "eventType" when property.Value.ValueKind == JsonValueKind.String && AdminApi.Identifier().IsMatch(property.Value.GetString()!):
                    eventType = property.Value.GetString();
                    break;
                case "name" when property.Value.ValueKind == JsonValueKind.String:
                    name = property.Value.GetString();
                    break;
                case "data" when property.Value.ValueKind == JsonValueKind.Object:
                    foreach (var field in property.Value.EnumerateObject())
                    {
                        data.Add((field.Name, Values(field.Value, $"{what}.data.{field.Name}")));
                    }
                    break;
                case "eventType" or "name" or "data":
                    throw Bad($"{what}.{property.Name} has the wrong type ('eventType' an event type, 'name' a string, 'data' an object)");
                default:
                    throw Bad($"unknown field '{property.Name}' in {what} (expected eventType, data, name)");
            }
        }
        return eventType is null ? throw Bad($"{what} is missing 'eventType'") : new EventPattern(eventType, data) { Name = name };
    }

    private static List<string> Values(JsonElement node, string what)
    {
        var items = node.ValueKind == JsonValueKind.Object && node.TryGetProperty("in", out var list) && list.ValueKind == JsonValueKind.Array && node.EnumerateObject().Count() == 1
            ? list.EnumerateArray().ToList()
            : node.ValueKind == JsonValueKind.Object ? throw Bad($"{what} must be a value or {{\"in\":[…]}}") : [node];
        var values = items.Select(v => MatchValue.Of(v) ?? throw Bad($"{what} must be a number, a string or a boolean")).ToList();
        return values.Count > 0 ? values : throw Bad($"{what}: 'in' is empty");
    }

    private static DateTimeOffset? Time(JsonElement body, string name) =>
        !body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind == JsonValueKind.String && DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t
        : throw Bad($"'{name}' must be an ISO 8601 time (2025-03-01T00:00:00Z)");

    private static LeaderboardRequestException Bad(string detail) => LeaderboardRequestException.BadRequest(detail);
}
