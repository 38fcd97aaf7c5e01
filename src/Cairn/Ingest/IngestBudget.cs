using System.Buffers;
using Microsoft.Extensions.Options;

namespace Cairn.Ingest;

/// <summary>
/// Admission control for ingest: how many requests, how many bytes of request body and how many events the server
/// holds at once, from the first byte of a body read to the answer. A request reserves its body before it is
/// buffered (all of an announced length at once; as the buffer grows when the length is unknown or the body is
/// gzip) and its events once they are counted; past any bound it is refused with 503 + Retry-After. A request that
/// holds its reservations is processed to the end: nothing later in the pipeline refuses it for load. A request that
/// is the only one holding bytes (or events) is never refused them, so a batch at the request limits always gets in.
/// </summary>
internal sealed class IngestBudget(IOptions<IngestOptions> options)
{
    private readonly int _maxRequests = options.Value.QueueCapacity;
    private readonly long _maxBytes = options.Value.MaxBytesInFlight;
    private readonly long _maxEvents = options.Value.MaxEventsInFlight;
    private long _requests;
    private long _bytes;
    private long _events;

    /// <summary>Requests, body bytes and events held now (for tests and diagnostics).</summary>
    public (long Requests, long Bytes, long Events) InFlight => (Interlocked.Read(ref _requests), Interlocked.Read(ref _bytes), Interlocked.Read(ref _events));

    /// <summary>A lease for one request, or null when <see cref="IngestOptions.QueueCapacity"/> requests are in flight.</summary>
    public Lease? TryEnter() => TryAdd(ref _requests, 1, _maxRequests, own: -1) ? new Lease(this) : null;

    /// <param name="own">What the caller holds already: when that is everything held, the bound does not apply.</param>
    private static bool TryAdd(ref long counter, long amount, long max, long own)
    {
        while (true)
        {
            var current = Interlocked.Read(ref counter);
            if (current + amount > max && current != own)
            {
                return false;
            }
            if (Interlocked.CompareExchange(ref counter, current + amount, current) == current)
            {
                return true;
            }
        }
    }

    /// <summary>What one request holds, its body buffer included; disposing it (at the end of the request) gives everything back.</summary>
    internal sealed class Lease(IngestBudget budget) : IDisposable
    {
        private long _bytes;
        private long _events;
        private bool _disposed;

        /// <summary>The body buffer (from the shared pool: large bodies would otherwise each be a new large-object allocation).</summary>
        public byte[] Body { get; private set; } = [];

        /// <summary>
        /// Reserves the growth to <paramref name="size"/> bytes of body and makes <see cref="Body"/> at least that large,
        /// keeping its first <paramref name="keep"/> bytes; false (nothing changed) past <see cref="IngestOptions.MaxBytesInFlight"/>.
        /// </summary>
        public bool TryGrowBody(int size, int keep)
        {
            if (!TryReserveBytes(size - _bytes))
            {
                return false;
            }
            var grown = ArrayPool<byte>.Shared.Rent(size);
            Body.AsSpan(0, keep).CopyTo(grown);
            ReturnBody();
            Body = grown;
            return true;
        }

        private void ReturnBody()
        {
            if (Body.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(Body);
            }
            Body = [];
        }

        /// <summary>Reserves <paramref name="bytes"/> more of body; false (nothing reserved) past <see cref="IngestOptions.MaxBytesInFlight"/>.</summary>
        public bool TryReserveBytes(long bytes)
        {
            if (!TryAdd(ref budget._bytes, bytes, budget._maxBytes, _bytes))
            {
                return false;
            }
            _bytes += bytes;
            return true;
        }

        /// <summary>Reserves <paramref name="events"/> events; false (nothing reserved) past <see cref="IngestOptions.MaxEventsInFlight"/>.</summary>
        public bool TryReserveEvents(int events)
        {
            if (!TryAdd(ref budget._events, events, budget._maxEvents, _events))
            {
                return false;
            }
            _events += events;
            return true;
        }

        public void Dispose()
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            // The request is over: its JSON document is disposed and nothing it handed on refers to the body.
            ReturnBody();
            Interlocked.Add(ref budget._bytes, -_bytes);
            Interlocked.Add(ref budget._events, -_events);
            Interlocked.Decrement(ref budget._requests);
        }
    }
}
