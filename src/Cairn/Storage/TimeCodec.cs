namespace Cairn.Storage;

/// <summary>Times are stored as microseconds since the Unix epoch, UTC: sortable, compact, exact to the microsecond.</summary>
internal static class TimeCodec
{
    public static long ToMicros(DateTimeOffset value) => (value.UtcTicks - DateTime.UnixEpoch.Ticks) / 10;

    public static DateTimeOffset FromMicros(long micros) => new(DateTime.UnixEpoch.Ticks + micros * 10, TimeSpan.Zero);
}
