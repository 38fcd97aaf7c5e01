using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Cairn.Ingest;

/// <summary>
/// Finds what valid JSON may hold that no part of the server can carry: duplicate keys (the object model throws on
/// them), lone or inverted UTF-16 surrogate escapes (no .NET string holds them), U+0000 (PostgreSQL's jsonb and
/// text refuse it) and numbers beyond a 64-bit float (PostgreSQL's numeric overflows on some). One such value makes
/// its event <c>rejected</c>, not its batch a 500. Every event passes here: a clean one costs no allocation.
/// </summary>
internal static class JsonHazards
{
    private const string SurrogateMessage = "holds a lone or inverted UTF-16 surrogate escape (such as \\uDFAA); send valid Unicode";
    private const string NulMessage = "holds the character U+0000, which cannot be stored";

    /// <summary>The first hazard in <paramref name="element"/>, as the reason to reject its event; null when there is none.</summary>
    public static EventError? Find(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                if (DuplicateOrInvalidKey(element) is { } keyError)
                {
                    return keyError;
                }
                foreach (var property in element.EnumerateObject())
                {
                    if (Find(property.Value) is { } error)
                    {
                        return error with { Path = Under(property.Name, error.Path) };
                    }
                }
                return null;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (Find(item) is { } error)
                    {
                        return error with { Path = Under(string.Create(CultureInfo.InvariantCulture, $"[{index}]"), error.Path) };
                    }
                    index++;
                }
                return null;
            case JsonValueKind.String:
                // Only an escape can spell a lone surrogate or U+0000 (the body is valid UTF-8 without raw control characters).
                if (JsonMarshal.GetRawUtf8Value(element).IndexOf((byte)'\\') < 0)
                {
                    return null;
                }
                if (!TryGetText(element.GetString, out var text))
                {
                    return new EventError("", "invalid_string", "the string " + SurrogateMessage);
                }
                return text.Contains('\0', StringComparison.Ordinal) ? new EventError("", "invalid_string", "the string " + NulMessage) : null;
            case JsonValueKind.Number:
                return IsStorableNumber(element)
                    ? null
                    : new EventError("", "number_range", "the number is beyond the range of a 64-bit floating-point number");
            default:
                return null;
        }
    }

    /// <summary>
    /// A key that appears twice, or that no string can hold. Most objects are small and their keys unescaped: those are
    /// compared as raw bytes, without making a string of each key.
    /// </summary>
    private static EventError? DuplicateOrInvalidKey(JsonElement element)
    {
        var count = 0;
        var escaped = false;
        foreach (var property in element.EnumerateObject())
        {
            count++;
            escaped |= JsonMarshal.GetRawUtf8PropertyName(property).IndexOf((byte)'\\') >= 0;
        }
        if (!escaped && count <= 16)
        {
            var i = 0;
            foreach (var property in element.EnumerateObject())
            {
                var name = JsonMarshal.GetRawUtf8PropertyName(property);
                var j = 0;
                foreach (var earlier in element.EnumerateObject())
                {
                    if (j++ == i)
                    {
                        break;
                    }
                    if (name.SequenceEqual(JsonMarshal.GetRawUtf8PropertyName(earlier)))
                    {
                        return Duplicate(property.Name);
                    }
                }
                i++;
            }
            return null;
        }
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (!TryGetText(() => property.Name, out var name))
            {
                return new EventError("", "invalid_string", "a key " + SurrogateMessage);
            }
            if (name.Contains('\0', StringComparison.Ordinal))
            {
                // The key itself cannot be part of the answer's path: no store keeps U+0000.
                return new EventError("", "invalid_string", "a key " + NulMessage);
            }
            if (!names.Add(name))
            {
                return Duplicate(name);
            }
        }
        return null;
    }

    private static EventError Duplicate(string name) =>
        new(name, "duplicate_key", $"the key '{(name.Length <= 60 ? name : name[..60] + "…")}' appears twice in the same object; send each key once");

    /// <summary>The path of a hazard found under <paramref name="step"/> (a key or an [index]).</summary>
    private static string Under(string step, string path) =>
        path.Length == 0 ? step : path[0] == '[' ? step + path : $"{step}.{path}";

    private static bool TryGetText(Func<string?> read, out string text)
    {
        try
        {
            text = read() ?? "";
            return true;
        }
        catch (InvalidOperationException)
        {
            text = "";
            return false;
        }
    }

    /// <summary>A number that is finite as a double and does not underflow to zero from a non-zero mantissa.</summary>
    private static bool IsStorableNumber(JsonElement element)
    {
        if (element.TryGetInt64(out _))
        {
            return true;
        }
        var raw = JsonMarshal.GetRawUtf8Value(element);
        if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            return false;
        }
        if (value != 0)
        {
            return true;
        }
        var exponent = raw.IndexOfAny((byte)'e', (byte)'E');
        var mantissa = exponent < 0 ? raw : raw[..exponent];
        return mantissa.IndexOfAnyInRange((byte)'1', (byte)'9') < 0;
    }
}
