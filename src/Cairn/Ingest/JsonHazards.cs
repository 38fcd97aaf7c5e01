using System.Globalization;
using System.Text.Json;

namespace Cairn.Ingest;

/// <summary>
/// Finds what valid JSON may hold that no part of the server can carry: duplicate keys (the object model throws on
/// them), lone or inverted UTF-16 surrogate escapes (no .NET string holds them), U+0000 (PostgreSQL's jsonb and
/// text refuse it) and numbers beyond a 64-bit float (PostgreSQL's numeric overflows on some). One such value makes
/// its event <c>rejected</c>, not its batch a 500.
/// </summary>
internal static class JsonHazards
{
    /// <summary>The first hazard in <paramref name="element"/>, as the reason to reject its event; null when there is none.</summary>
    public static EventError? Find(JsonElement element) => Find(element, "");

    private static EventError? Find(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                HashSet<string>? names = null;
                foreach (var property in element.EnumerateObject())
                {
                    if (!TryGetText(() => property.Name, out var name))
                    {
                        return new EventError(path, "invalid_string",
                            $"a key {Where(path)}holds a lone or inverted UTF-16 surrogate escape (such as \\uDFAA); send valid Unicode");
                    }
                    if (name.Contains('\0', StringComparison.Ordinal))
                    {
                        // The key itself cannot be part of the answer's path: no store keeps U+0000.
                        return new EventError(path, "invalid_string", $"a key {Where(path)}holds the character U+0000, which cannot be stored");
                    }
                    var child = path.Length == 0 ? name : $"{path}.{name}";
                    names ??= new HashSet<string>(StringComparer.Ordinal);
                    if (!names.Add(name))
                    {
                        return new EventError(child, "duplicate_key", $"the key '{Clip(name)}' appears twice in the same object; send each key once");
                    }
                    if (Find(property.Value, child) is { } error)
                    {
                        return error;
                    }
                }
                return null;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (Find(item, $"{path}[{index++}]") is { } error)
                    {
                        return error;
                    }
                }
                return null;
            case JsonValueKind.String:
                if (!TryGetText(element.GetString, out var text))
                {
                    return new EventError(path, "invalid_string",
                        $"a string {Where(path)}holds a lone or inverted UTF-16 surrogate escape (such as \\uDFAA); send valid Unicode");
                }
                return text.Contains('\0', StringComparison.Ordinal)
                    ? new EventError(path, "invalid_string", $"a string {Where(path)}holds the character U+0000, which cannot be stored")
                    : null;
            case JsonValueKind.Number:
                return IsStorableNumber(element)
                    ? null
                    : new EventError(path, "number_range", $"the number {Where(path)}is beyond the range of a 64-bit floating-point number");
            default:
                return null;
        }
    }

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
        var raw = element.GetRawText();
        if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            return false;
        }
        if (value != 0)
        {
            return true;
        }
        var exponent = raw.IndexOfAny(['e', 'E']);
        var mantissa = exponent < 0 ? raw : raw[..exponent];
        return !mantissa.Any(c => c is >= '1' and <= '9');
    }

    private static string Where(string path) => path.Length == 0 ? "" : $"at '{Clip(path)}' ";

    private static string Clip(string text) => text.Length <= 60 ? text : text[..60] + "…";
}
