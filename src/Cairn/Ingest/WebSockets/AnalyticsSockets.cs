namespace Cairn.Ingest.WebSockets;

/// <summary>The open WebSocket connections and envelopes in flight on this process (bounded; read by the metrics).</summary>
internal sealed class AnalyticsSockets(Microsoft.Extensions.Options.IOptions<WebSocketIngestOptions> options)
{
    private int _open;
    private int _inFlight;

    public int Open => Volatile.Read(ref _open);

    /// <summary>Envelopes received and not answered yet, over every connection.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Counts a new connection in, or false when <see cref="WebSocketIngestOptions.MaxConnections"/> are open.</summary>
    public bool TryOpen()
    {
        if (Interlocked.Increment(ref _open) <= options.Value.MaxConnections)
        {
            return true;
        }
        Interlocked.Decrement(ref _open);
        return false;
    }

    public void Close() => Interlocked.Decrement(ref _open);

    public void EnvelopeIn() => Interlocked.Increment(ref _inFlight);

    public void EnvelopeOut() => Interlocked.Decrement(ref _inFlight);
}
