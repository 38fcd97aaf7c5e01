namespace Cairn.Ingest.WebSockets;

/// <summary>Limits of the WebSocket ingest (<c>GET /v1/ws</c>); the per-event and per-batch limits of <see cref="IngestOptions"/> apply too.</summary>
internal sealed class WebSocketIngestOptions
{
    public const string SectionName = "Ingest:WebSocket";

    /// <summary>Seconds a client without an <c>Authorization</c> header has to send its <c>hello</c> message.</summary>
    public int HelloSeconds { get; set; } = 4;

    /// <summary>Seconds between the server's pings.</summary>
    public int PingSeconds { get; set; } = 15;

    /// <summary>Seconds without a pong after which the server closes the connection.</summary>
    public int PongTimeoutSeconds { get; set; } = 30;

    /// <summary>Largest message, in bytes; a larger one is answered <c>too_large</c> (and read no further).</summary>
    public int MaxMessageBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// Envelopes of one connection being processed at once; with this many unanswered, the server reads no more from that
    /// connection until one is answered (TCP backpressure on the client).
    /// </summary>
    public int MaxInFlightPerConnection { get; set; } = 4;

    /// <summary>Open WebSocket connections on this process; past it an upgrade is answered 503.</summary>
    public int MaxConnections { get; set; } = 1_000;
}
