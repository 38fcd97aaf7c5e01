using System.Security.Cryptography;
using System.Text;

namespace Cairn.Identity;

/// <summary>
/// playerKey = "p{version}_" + hex(HMAC-SHA256(pepper, orgId + ":" + lower(trim(playerId))))[..32].
/// 128 bits are kept: collision-free at any realistic player count, and half the index width.
/// </summary>
internal sealed class PlayerKeys(byte[] pepper, int version)
{
    private readonly string _prefix = $"p{version}_";

    // One keyed HMAC per thread: the one-shot HashData sets the key up again on every call, which is half its cost.
    private readonly ThreadLocal<IncrementalHash> _hmac = new(() => IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, pepper));

    public int Version { get; } = version;

    public string Compute(string orgId, string rawPlayerId)
    {
        var normalized = rawPlayerId.Trim().ToLowerInvariant();
        var byteCount = Encoding.UTF8.GetByteCount(orgId) + 1 + Encoding.UTF8.GetByteCount(normalized);
        Span<byte> input = byteCount <= 512 ? stackalloc byte[byteCount] : new byte[byteCount];
        var written = Encoding.UTF8.GetBytes(orgId, input);
        input[written++] = (byte)':';
        Encoding.UTF8.GetBytes(normalized, input[written..]);
        Span<byte> mac = stackalloc byte[32];
        var hmac = _hmac.Value!;
        hmac.AppendData(input);
        hmac.GetHashAndReset(mac);
        return string.Create(_prefix.Length + 32, (_prefix, mac.ToArray()), static (chars, state) =>
        {
            state.Item1.AsSpan().CopyTo(chars);
            Convert.TryToHexStringLower(state.Item2.AsSpan(0, 16), chars[state.Item1.Length..], out _);
        });
    }

    /// <summary>
    /// <c>{hmac:col}</c> in an import mapping: hex(HMAC-SHA256(pepper, "\0template\0" + orgId + "\0" + value))[..32]. Without the
    /// pepper it cannot be recomputed from a guessed identity; the same pepper always gives the same text (re-imports stay
    /// idempotent). The NUL bytes keep it apart from every player key, whose input is "orgId:id" and whose orgs hold no NUL.
    /// </summary>
    public string TemplateHash(string orgId, string value)
    {
        var input = Encoding.UTF8.GetBytes($"\0template\0{orgId}\0{value}");
        Span<byte> mac = stackalloc byte[32];
        var hmac = _hmac.Value!;
        hmac.AppendData(input);
        hmac.GetHashAndReset(mac);
        return Convert.ToHexStringLower(mac[..16]);
    }

    /// A keyed hash (HMAC-SHA256 with the pepper, 128 bits in hex) of input the quarantine must not keep: it tells two
    /// copies of the same input apart from others, and cannot be reversed by guessing, as a plain hash of an id could.
    /// </summary>
    public string Fingerprint(ReadOnlySpan<byte> input)
    {
        var data = new byte[QuarantineDomain.Length + input.Length];
        QuarantineDomain.CopyTo(data);
        input.CopyTo(data.AsSpan(QuarantineDomain.Length));
        return Convert.ToHexStringLower(HMACSHA256.HashData(pepper, data).AsSpan(0, 16));
    }

    // NUL bytes keep this input apart from every player key's ("orgId:id") and template hash's.
    private static ReadOnlySpan<byte> QuarantineDomain => "\0quarantine\0"u8;

    /// <summary>True when a string has the shape of a playerKey (used to validate path parameters).</summary>
    public static bool LooksLikeKey(string value) =>
        value.Length is > 4 and < 48 && value[0] == 'p' && value.Contains('_', StringComparison.Ordinal)
        && value.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
