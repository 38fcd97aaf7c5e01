using System;
using System.Net.Http;

namespace Cairn.Client
{
    /// <summary>How events reach the server.</summary>
    public enum CairnTransport
    {
        /// <summary><c>POST /v1/events</c>, one gzip request per batch.</summary>
        Http,

        /// <summary>The WebSocket <c>GET /v1/ws</c>: one envelope per batch, unacknowledged envelopes resent after a reconnect.</summary>
        WebSocket,
    }

    /// <summary>Everything a <see cref="CairnClient"/> can be told. Only <see cref="Endpoint"/> and <see cref="IngestKey"/> are required.</summary>
    public sealed class CairnClientOptions
    {
        /// <summary>The server, e.g. <c>https://analytics.example.org/</c>.</summary>
        public Uri? Endpoint { get; set; }

        /// <summary>The game's ingest key (<c>cik_…</c>).</summary>
        public string? IngestKey { get; set; }

        /// <summary>The game id, for the sampling rules (<c>GET /v1/config/sampling?game=G</c>); null: no client-side sampling.</summary>
        public string? Game { get; set; }

        /// <summary>The events' <c>source</c> (part of the server's idempotency key); null: the server uses the game.</summary>
        public string? Source { get; set; }

        /// <summary>
        /// Where the durable queue lives (Unity: <c>Application.persistentDataPath + "/cairn"</c>). Null keeps the queue in
        /// memory only (platforms without a file system, e.g. WebGL): events not yet sent are lost when the game stops.
        /// </summary>
        public string? QueueDirectory { get; set; }

        /// <summary>The queue's bound in bytes of event JSON (default 1 MiB); past it the lowest priority, then the oldest events are dropped.</summary>
        public long MaxQueueBytes { get; set; } = 1024 * 1024;

        /// <summary>A flush starts when this many events wait (default 100); it is also the most events sent in one request.</summary>
        public int BatchSize { get; set; } = 100;

        /// <summary>A flush starts at least this often while events wait (default 30 s).</summary>
        public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>Attempts of one batch per flush (default 3); after them the batch stays queued for the next flush.</summary>
        public int MaxAttempts { get; set; } = 3;

        /// <summary>The first retry delay (default 500 ms), doubled at each attempt, with full jitter.</summary>
        public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

        /// <summary>The longest wait between two attempts, Retry-After included (default 30 s).</summary>
        public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>How long one request may take (default 30 s).</summary>
        public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>How long <see cref="CairnClient.Dispose"/> may spend on its last flush (default 3 s).</summary>
        public TimeSpan DisposeTimeout { get; set; } = TimeSpan.FromSeconds(3);

        /// <summary>
        /// Opt-in mode: nothing is stored or sent until <see cref="CairnClient.SetConsent"/> says yes (remembered in the queue
        /// directory). Without it tracking starts at once and <see cref="CairnClient.SetConsent"/>(false) opts out.
        /// </summary>
        public bool RequireConsent { get; set; }

        /// <summary>The transport (default HTTP).</summary>
        public CairnTransport Transport { get; set; } = CairnTransport.Http;

        /// <summary>Fetch the game's sampling rules at start (default true when <see cref="Game"/> is set).</summary>
        public bool FetchSampling { get; set; } = true;

        /// <summary>The envelope's <c>analyticsVersion</c> (WebSocket) or the events' <c>schemaVersion</c> (HTTP); optional.</summary>
        public string? AnalyticsVersion { get; set; }

        /// <summary>The device's platform (<c>device.platform</c> of every event), e.g. <c>Application.platform.ToString()</c>.</summary>
        public string? Platform { get; set; }

        /// <summary>A handler for the HTTP client (proxies, tests); null: the default one.</summary>
        public HttpMessageHandler? HttpHandler { get; set; }

        /// <summary>Called (on a background thread) with what the client could not do: a dropped event, a refused key, a full queue.</summary>
        public Action<CairnDiagnostic>? OnDiagnostic { get; set; }

        internal void Validate()
        {
            if (Endpoint is null || !Endpoint.IsAbsoluteUri)
            {
                throw new ArgumentException("CairnClientOptions.Endpoint must be an absolute URI, e.g. https://analytics.example.org/.");
            }
            if (string.IsNullOrWhiteSpace(IngestKey))
            {
                throw new ArgumentException("CairnClientOptions.IngestKey is required (the game's ingest key, cik_…).");
            }
            if (BatchSize < 1 || MaxAttempts < 1 || MaxQueueBytes < 1024 || FlushInterval <= TimeSpan.Zero)
            {
                throw new ArgumentException("BatchSize and MaxAttempts must be at least 1, MaxQueueBytes at least 1024 and FlushInterval positive.");
            }
        }
    }

    /// <summary>What happened that the game may want to log (never a player id or the key).</summary>
    public sealed class CairnDiagnostic
    {
        internal CairnDiagnostic(string code, string message, int count)
        {
            Code = code;
            Message = message;
            Count = count;
        }

        /// <summary>
        /// <c>queue_full</c> (events dropped by the bound), <c>rejected</c> (events the server refused), <c>too_large</c> (an event
        /// over the request limit), <c>unauthorized</c> (the key was refused), <c>retry_later</c> (a flush gave up, the batch stays
        /// queued), <c>storage</c> (the queue directory failed; memory is used), <c>sampling</c> (the rules could not be fetched).
        /// </summary>
        public string Code { get; }

        /// <summary>A sentence for a log.</summary>
        public string Message { get; }

        /// <summary>How many events it concerns (0 when none).</summary>
        public int Count { get; }

        /// <inheritdoc />
        public override string ToString() => $"{Code}: {Message}";
    }
}
