using System.Globalization;

namespace Cairn.Schemas;

/// <summary>A semantic version MAJOR.MINOR.PATCH of an event type's schema (seed 003: minors add optional fields, majors break).</summary>
internal readonly record struct SchemaVersion(int Major, int Minor, int Patch) : IComparable<SchemaVersion>
{
    /// <summary>MAJOR.MINOR.PATCH, each a whole number without a sign or leading zeros (as semver writes them).</summary>
    public static bool TryParse(string? text, out SchemaVersion version)
    {
        version = default;
        var parts = text?.Split('.');
        if (parts is not { Length: 3 })
        {
            return false;
        }
        var numbers = new int[3];
        for (var i = 0; i < 3; i++)
        {
            var part = parts[i];
            if (part.Length == 0 || part.Length > 9 || (part.Length > 1 && part[0] == '0') || !part.All(char.IsAsciiDigit))
            {
                return false;
            }
            numbers[i] = int.Parse(part, NumberStyles.None, CultureInfo.InvariantCulture);
        }
        version = new SchemaVersion(numbers[0], numbers[1], numbers[2]);
        return true;
    }

    public int CompareTo(SchemaVersion other) =>
        Major != other.Major ? Major.CompareTo(other.Major) : Minor != other.Minor ? Minor.CompareTo(other.Minor) : Patch.CompareTo(other.Patch);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Major}.{Minor}.{Patch}");
}
