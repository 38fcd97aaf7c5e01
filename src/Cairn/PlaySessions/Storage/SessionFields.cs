using System.Text.Json;

namespace Cairn.PlaySessions.Storage;

/// <summary>
/// The context fields a session keeps, read from the stored <c>device</c> and <c>context</c> objects as ingest writes them:
/// <c>device.platform</c>; the build from <c>device.build</c>, <c>device.appVersion</c> or <c>context.build</c>;
/// <c>context.country</c> (set by ingest from the client's address).
/// </summary>
internal static class SessionFields
{
    public static SessionEvent Event(string eventType, DateTimeOffset at, string? device, string? context)
    {
        string? platform = null, build = null, country = null;
        if (device is not null)
        {
            using var doc = JsonDocument.Parse(device);
            platform = Text(doc.RootElement, "platform");
            build = Text(doc.RootElement, "build") ?? Text(doc.RootElement, "appVersion");
        }
        if (context is not null)
        {
            using var doc = JsonDocument.Parse(context);
            build ??= Text(doc.RootElement, "build");
            country = Text(doc.RootElement, "country");
        }
        return new SessionEvent(eventType, at, platform, build, country);
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
            ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.ValueKind is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False ? value.GetRawText() : null
            : null;
}
