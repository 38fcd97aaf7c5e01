using System.Text.Json;

namespace Cairn.PlayerState;

/// <summary>How much a counter rule adds: a constant, or a numeric <c>data</c> field of the event.</summary>
internal sealed record StateAmount(double? Constant, string? Field)
{
    public static readonly StateAmount One = new(1, null);

    /// <summary>The amount for one event; null when the field is absent or not a number (the rule then does nothing).</summary>
    public double? Resolve(JsonElement data)
    {
        if (Constant is { } constant)
        {
            return constant;
        }
        if (data.ValueKind != JsonValueKind.Object || !data.TryGetProperty(Field!, out var value))
        {
            return null;
        }
        return value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetDouble(out var d) => d,
            JsonValueKind.String when double.TryParse(value.GetString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var d) => d,
            _ => null,
        };
    }
}
