using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cairn.Catalogs;

/// <summary>
/// A value a trigger compares with, in a canonical text form that an event's JSON value is turned into
/// the same way: numbers by value (20 and 20.0 are equal), strings and booleans tagged so "20" ≠ 20.
/// </summary>
internal static class MatchValue
{
    public static string Number(double value) => "n:" + value.ToString("R", CultureInfo.InvariantCulture);

    public static string Text(string value) => "s:" + value;

    public static string Bool(bool value) => value ? "b:true" : "b:false";

    /// <summary>The canonical form of an event's field, or null when it is absent or not a scalar.</summary>
    public static string? Of(JsonNode? node)
    {
        if (node is not JsonValue value)
        {
            return null;
        }
        switch (value.GetValueKind())
        {
            case JsonValueKind.Number:
                // A value parsed from JSON converts to double; one built in code (a coerced "95") holds its own CLR type.
                if (value.TryGetValue<double>(out var d) || value.TryGetValue(out long l) && (d = l) == l || value.TryGetValue(out int i) && (d = i) == i)
                {
                    return Number(d);
                }
                return double.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out d) ? Number(d) : null;
            case JsonValueKind.String:
                return Text(value.GetValue<string>());
            case JsonValueKind.True:
                return Bool(true);
            case JsonValueKind.False:
                return Bool(false);
            default:
                return null;
        }
    }

    /// <summary>The same for a stored event read back as a <see cref="JsonElement"/>.</summary>
    public static string? Of(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Number => element.TryGetDouble(out var d) ? Number(d) : null,
        JsonValueKind.String => Text(element.GetString()!),
        JsonValueKind.True => Bool(true),
        JsonValueKind.False => Bool(false),
        _ => null,
    };

    /// <summary>How a canonical value reads in an eventKey: the bare value.</summary>
    public static string Bare(string canonical) => canonical[2..];
}
