using System.Globalization;
using System.Text.RegularExpressions;

namespace Cairn.Import;

/// <summary>
/// The zone of a mapping's zone-less timestamps: UTC, a fixed offset (<c>+2</c>, <c>+0200</c>, <c>+02:00</c>,
/// <c>UTC+2</c>) or an IANA zone id. Never the importing machine's zone.
/// </summary>
internal sealed partial class TimestampZone
{
    private readonly TimeSpan? _offset;
    private readonly TimeZoneInfo? _zone;

    private TimestampZone(TimeSpan? offset, TimeZoneInfo? zone) => (_offset, _zone) = (offset, zone);

    public static TimestampZone Utc { get; } = new(TimeSpan.Zero, null);

    public const string Expected = "UTC, an offset such as +2, +0200, +02:00 or UTC+2, or an IANA zone id such as Europe/Berlin";

    // One or two hour digits alone, or two hour digits and two minute digits with an optional colon: "+200" is ambiguous.
    [GeneratedRegex(@"^(?:UTC|GMT)?([+-])(?:(\d{1,2})|(\d{2}):?(\d{2}))$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex Offset();

    /// <returns>The zone, or null when the text is none of the accepted forms.</returns>
    public static TimestampZone? Parse(string? text)
    {
        var zone = text?.Trim();
        if (string.IsNullOrEmpty(zone))
        {
            return null;
        }
        if (zone is "Z" or "z" || zone.Equals("UTC", StringComparison.OrdinalIgnoreCase) || zone.Equals("GMT", StringComparison.OrdinalIgnoreCase))
        {
            return Utc;
        }
        if (Offset().Match(zone) is { Success: true } match)
        {
            var hours = int.Parse(match.Groups[2].Success ? match.Groups[2].Value : match.Groups[3].Value, CultureInfo.InvariantCulture);
            var minutes = match.Groups[4].Success ? int.Parse(match.Groups[4].Value, CultureInfo.InvariantCulture) : 0;
            if (hours > 14 || minutes > 59 || (hours == 14 && minutes > 0))
            {
                return null;
            }
            var span = new TimeSpan(hours, minutes, 0);
            return new TimestampZone(match.Groups[1].Value == "-" ? -span : span, null);
        }
        if (zone.StartsWith('+') || zone.StartsWith('-') || zone.Any(char.IsWhiteSpace))
        {
            return null;
        }
        try
        {
            return new TimestampZone(null, TimeZoneInfo.FindSystemTimeZoneById(zone));
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return null;
        }
    }

    /// <summary>
    /// Reads <paramref name="text"/> with the exact <paramref name="format"/>: an offset in the text (<c>z</c>, <c>K</c>) is
    /// used as written, otherwise the wall time is taken in this zone.
    /// </summary>
    public bool TryParse(string text, string format, out DateTimeOffset instant)
    {
        instant = default;
        // RoundtripKind leaves a zone-less time Unspecified (the wall time as written) and marks one that had an offset.
        if (!DateTime.TryParseExact(text, format, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var wall))
        {
            return false;
        }
        if (wall.Kind != DateTimeKind.Unspecified)
        {
            // The text carries its offset: DateTimeOffset keeps it as written (DateTime would have converted to local time).
            return DateTimeOffset.TryParseExact(text, format, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out instant);
        }
        var offset = _offset ?? _zone!.GetUtcOffset(wall);
        try
        {
            instant = new DateTimeOffset(wall, offset);
            return true;
        }
        catch (ArgumentOutOfRangeException)
        {
            // A wall time so close to year 1 or 9999 that the offset moves it out of range.
            return false;
        }
    }
}
