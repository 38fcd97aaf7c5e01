using System.Security.Cryptography;
using System.Text;

namespace Cairn.Access;

/// <summary>
/// Keys and tokens are stored and compared as SHA-256 hashes. They are 192-bit random strings,
/// so a fast hash is enough (no password stretching needed) and a leaked table reveals no key.
/// </summary>
internal static class SecretHash
{
    public static string Of(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    public static string NewSecret(string prefix) =>
        prefix + System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(24));
}
