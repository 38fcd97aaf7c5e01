using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Cairn.Ingest.Sampling;

/// <summary>
/// The deterministic sampling decision (seed 003: <c>hash64(player_id + event_type)</c>), the same for the server and
/// the SDKs: the first 8 bytes of SHA-256 over the UTF-8 of <c>playerKey + eventType</c>, read as a big-endian unsigned
/// integer and divided by 2^64, give a number u in [0, 1); the event is kept when u &lt; rate. The same player stays in
/// (or out of) the sample of an event type for as long as its rate does not change, and a higher rate keeps every
/// player a lower one kept.
/// </summary>
internal static class Sampler
{
    /// <summary>u in [0, 1) for the player and event type.</summary>
    public static double Position(string playerKey, string eventType)
    {
        Span<byte> input = stackalloc byte[Encoding.UTF8.GetMaxByteCount(playerKey.Length + eventType.Length)];
        var length = Encoding.UTF8.GetBytes(playerKey, input);
        length += Encoding.UTF8.GetBytes(eventType, input[length..]);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(input[..length], hash);
        return BinaryPrimitives.ReadUInt64BigEndian(hash) / 18446744073709551616.0;
    }

    /// <summary>Whether an event of the player and type is in a sample of the rate (1 keeps everything, 0 nothing).</summary>
    public static bool Keep(string playerKey, string eventType, double rate) =>
        rate >= 1 || (rate > 0 && Position(playerKey, eventType) < rate);
}
