using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Cairn.Storage;

/// <summary>Opaque paging cursors: a position (two numbers) encoded so clients do not build them by hand.</summary>
internal static class Cursor
{
    public static string Encode(long first, long second) =>
        Base64Url.EncodeToString(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{first}:{second}")));

    public static bool TryDecode(string? cursor, out long first, out long second)
    {
        first = second = 0;
        if (string.IsNullOrEmpty(cursor) || cursor.Length > 64)
        {
            return false;
        }
        try
        {
            var text = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(cursor));
            var parts = text.Split(':');
            return parts.Length == 2
                && long.TryParse(parts[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out first)
                && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out second);
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
