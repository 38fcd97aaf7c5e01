using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Cairn.Identity;
using Cairn.Leaderboards.Storage;

namespace Cairn.Leaderboards;

/// <summary>
/// A page cursor: the keyset (score, at, playerKey) of the last entry given, with the board, scope and period it belongs to.
/// It is sealed (AES-GCM under a key derived from the pepper, so every node of a deployment opens it) because it names a
/// playerKey the caller may not be allowed to see; a cursor from another board, scope or server is refused.
/// </summary>
internal sealed class LeaderboardCursor(PlayerKeys keys)
{
    private readonly byte[] _key = Convert.FromHexString(keys.TemplateHash("\0leaderboard-cursor", "key"));

    public string Seal(string board, DateTimeOffset periodStart, LeaderboardPosition position)
    {
        var text = string.Join('\n', board, periodStart.UtcTicks.ToString(CultureInfo.InvariantCulture),
            BitConverter.DoubleToInt64Bits(position.Score).ToString(CultureInfo.InvariantCulture),
            position.At.UtcTicks.ToString(CultureInfo.InvariantCulture), position.PlayerKey);
        var plain = Encoding.UTF8.GetBytes(text);
        var sealedBytes = new byte[12 + 16 + plain.Length];
        RandomNumberGenerator.Fill(sealedBytes.AsSpan(0, 12));
        using var aes = new AesGcm(_key, 16);
        aes.Encrypt(sealedBytes.AsSpan(0, 12), plain, sealedBytes.AsSpan(28), sealedBytes.AsSpan(12, 16));
        return Base64Url.EncodeToString(sealedBytes);
    }

    /// <summary>The period and position of a cursor this server sealed for the same board and scope; false otherwise.</summary>
    public bool TryOpen(string cursor, string board, out DateTimeOffset periodStart, out LeaderboardPosition position)
    {
        periodStart = default;
        position = null!;
        if (cursor.Length is 0 or > 1024)
        {
            return false;
        }
        try
        {
            var bytes = Base64Url.DecodeFromChars(cursor);
            if (bytes.Length < 28)
            {
                return false;
            }
            var plain = new byte[bytes.Length - 28];
            using var aes = new AesGcm(_key, 16);
            aes.Decrypt(bytes.AsSpan(0, 12), bytes.AsSpan(28), bytes.AsSpan(12, 16), plain);
            var parts = Encoding.UTF8.GetString(plain).Split('\n');
            if (parts.Length != 5 || parts[0] != board)
            {
                return false;
            }
            periodStart = new DateTimeOffset(long.Parse(parts[1], CultureInfo.InvariantCulture), TimeSpan.Zero);
            position = new LeaderboardPosition(BitConverter.Int64BitsToDouble(long.Parse(parts[2], CultureInfo.InvariantCulture)),
                new DateTimeOffset(long.Parse(parts[3], CultureInfo.InvariantCulture), TimeSpan.Zero), parts[4]);
            return true;
        }
        catch (Exception ex) when (ex is FormatException or CryptographicException or OverflowException or ArgumentException)
        {
            return false;
        }
    }
}
