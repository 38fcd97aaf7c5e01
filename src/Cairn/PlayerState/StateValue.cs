using System.Text.Json;
using Cairn.Catalogs;

namespace Cairn.PlayerState;

/// <summary>An id a state rule acts on: a constant of the catalog, or the value of one of the event's <c>data</c> fields.</summary>
internal sealed record StateValue(string? Constant, string? Field)
{
    /// <summary>The id for one event (a number reads as its bare value, 21); null when the field is absent or not a scalar.</summary>
    public string? Resolve(JsonElement data)
    {
        if (Constant is not null)
        {
            return Constant;
        }
        return data.ValueKind == JsonValueKind.Object && data.TryGetProperty(Field!, out var value) && MatchValue.Of(value) is { } canonical
            ? MatchValue.Bare(canonical)
            : null;
    }

    public string Describe() => Constant is not null ? "=" + Constant : "@" + Field;
}
