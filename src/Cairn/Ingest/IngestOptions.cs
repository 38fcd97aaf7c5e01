namespace Cairn.Ingest;

/// <summary>Limits and behaviour of event ingest (HTTP and import alike).</summary>
internal sealed class IngestOptions
{
    public const string SectionName = "Ingest";

    /// <summary>Largest request body, in bytes, both as sent and after gzip decompression.</summary>
    public int MaxBodyBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>Most events in one request.</summary>
    public int MaxEventsPerBatch { get; set; } = 5_000;

    /// <summary>Largest single event, in bytes of JSON.</summary>
    public int MaxEventBytes { get; set; } = 64 * 1024;

    /// <summary>Deepest JSON nesting accepted in a request.</summary>
    public int MaxJsonDepth { get; set; } = 32;

    /// <summary>Requests in flight at once (being read, checked or waiting for the writer); past this the answer is 503 with Retry-After.</summary>
    public int QueueCapacity { get; set; } = 1_024;

    /// <summary>
    /// Bytes of request body (after decompression) held at once by the requests in flight; a request that would pass
    /// it is answered 503 with Retry-After before its body is buffered. A request's working memory is many times its
    /// body, hence a low default.
    /// </summary>
    public long MaxBytesInFlight { get; set; } = 8L * 1024 * 1024;

    /// <summary>Events held at once by the requests in flight; past it the answer is 503 with Retry-After.</summary>
    public int MaxEventsInFlight { get; set; } = 10_000;

    /// <summary>Most events the group-commit writer puts in one transaction.</summary>
    public int MaxEventsPerCommit { get; set; } = 20_000;

    /// <summary>Requests per second one ingest key may send (sustained); past it the answer is 429 with Retry-After. 0 = no limit.</summary>
    public int RateLimitPerSecond { get; set; } = 200;

    /// <summary>Requests one ingest key may send in a burst above the sustained rate.</summary>
    public int RateLimitBurst { get; set; } = 400;

    /// <summary>Fields that are personal data by nature, removed from data, device and context at ingest.</summary>
    public string[] DropFields { get; set; } = ["remote_addr", "remoteAddr", "ip", "ipAddress", "ip_address", "clientIp", "client_ip"];

    /// <summary>
    /// A MaxMind country (or city) database (<c>.mmdb</c>): when set, each live event gets <c>context.country</c>, the ISO code of
    /// the client's address (the remote address, or the forwarded one from Http:TrustedProxies). Default none: no lookup.
    /// </summary>
    public string? GeoIpDatabase { get; set; }
}
