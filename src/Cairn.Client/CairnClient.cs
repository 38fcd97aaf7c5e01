using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Cairn.Client.Internal;

namespace Cairn.Client
{
    /// <summary>
    /// The Cairn analytics client: <see cref="Track"/> writes the event's JSON and hands it to a background thread (it never
    /// waits for a disk or the network), which keeps it in the queue (durable under <see cref="CairnClientOptions.QueueDirectory"/>)
    /// and sends it in batches, with retries, until the server has answered for it. Thread-safe; one per game process.
    /// </summary>
    public sealed class CairnClient : IDisposable
    {
        private const string StateFile = "client.json";
        private const string SamplingFile = "sampling.json";

        private readonly CairnClientOptions _options;
        private readonly EventQueue _queue;
        private readonly ITransport _transport;
        private readonly HttpClient _http;
        private readonly ConcurrentQueue<QueuedEvent> _incoming = new ConcurrentQueue<QueuedEvent>();
        private readonly ConcurrentQueue<TaskCompletionSource<bool>> _flushRequests = new ConcurrentQueue<TaskCompletionSource<bool>>();
        private readonly SemaphoreSlim _wake = new SemaphoreSlim(0);
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private readonly Task _worker;
        private readonly object _stateGate = new object();
        private readonly object _ioGate = new object();
        private readonly HashSet<string> _declined = new HashSet<string>(StringComparer.Ordinal);
        private readonly Random _jitter = new Random();
        private volatile SamplingRules? _sampling;
        private volatile string? _playerId;
        private volatile string? _playerKey;
        private volatile string? _sessionId;
        private bool? _consent;
        private long _seq;
        private int _pending;
        private int _woken;
        private int _disposed;

        /// <summary>Starts the client: loads the queue, reads the cached sampling rules and starts the background sender.</summary>
        public CairnClient(CairnClientOptions options)
        {
            _options = options ?? throw new ArgumentNullException(nameof(options));
            options.Validate();
            EventQueue? queue = null;
            if (options.QueueDirectory is not null)
            {
                try
                {
                    queue = EventQueue.Open(options.QueueDirectory, options.MaxQueueBytes);
                    LoadState();
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    queue?.Dispose();
                    queue = null;
                    Report("storage", "The queue directory cannot be used (" + ex.GetType().Name + "); events are kept in memory only.", 0);
                }
            }
            _queue = queue ?? EventQueue.InMemory(options.MaxQueueBytes);
            ClientGuid ??= Guid.NewGuid().ToString("N");
            if (queue is not null)
            {
                SaveState();
            }
            _seq = Math.Max(_seq, _queue.MaxSeq + 1);
            _http = options.HttpHandler is null ? new HttpClient() : new HttpClient(options.HttpHandler, disposeHandler: false);
            _http.Timeout = options.RequestTimeout;
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.IngestKey);
            _transport = options.Transport == CairnTransport.WebSocket
                ? new WebSocketTransport(options.Endpoint!, options.IngestKey!, ClientGuid, options.AnalyticsVersion, options.RequestTimeout)
                : (ITransport)new HttpTransport(_http, options.Endpoint!);
            _worker = Task.Run(RunAsync);
        }

        /// <summary>This install's id (kept in the queue directory), sent with every event in <c>context.clientGuid</c>.</summary>
        public string ClientGuid { get; private set; } = null!;

        /// <summary>Events waiting to be sent (tracked, not yet answered by the server).</summary>
        public int QueuedCount => _queue.Count + Volatile.Read(ref _pending);

        /// <summary>Whether events are being tracked (consent given, or not required and not withdrawn).</summary>
        public bool IsTracking
        {
            get
            {
                lock (_stateGate)
                {
                    return _consent ?? !_options.RequireConsent;
                }
            }
        }

        /// <summary>Whether the queue is on disk (false: memory only, no directory or it failed).</summary>
        public bool IsDurable => _queue.Durable;

        /// <summary>The current session's id (null outside a session).</summary>
        public string? SessionId => _sessionId;

        /// <summary>
        /// Tracks an event. Returns false when it was not kept: no consent, its category declined, or sampled out. Never
        /// blocks on a disk or the network.
        /// </summary>
        /// <param name="eventType">The event type (letters, digits, <c>_ . : -</c>).</param>
        /// <param name="data">The event's data (copied now), or null.</param>
        /// <param name="category">The consent category; null: the server taxonomy's category of the event type.</param>
        /// <param name="priority">What is dropped first when the queue is full.</param>
        public bool Track(string eventType, EventData? data = null, string? category = null, EventPriority priority = EventPriority.Normal)
        {
            if (string.IsNullOrEmpty(eventType))
            {
                throw new ArgumentException("An event needs an event type.", nameof(eventType));
            }
            if (Volatile.Read(ref _disposed) != 0)
            {
                return false;
            }
            category ??= Taxonomy.CategoryOf(eventType);
            lock (_stateGate)
            {
                if (!(_consent ?? !_options.RequireConsent) || (category is not null && _declined.Contains(category)))
                {
                    return false;
                }
            }
            // The server's own decision, made here when the player's key is known, so a sampled-out event is never sent.
            if (_sampling is { } sampling && _playerKey is { } key && sampling.RateOf(eventType) is { } rate && !Sampler.Keep(key, eventType, rate))
            {
                return false;
            }
            var id = Guid.NewGuid();
            var seq = Interlocked.Increment(ref _seq) - 1;
            var json = EventJson.Write(id, seq, eventType, DateTime.UtcNow, _playerId, _sessionId, data, ClientGuid, _options);
            _incoming.Enqueue(new QueuedEvent(id, seq, priority, category, json));
            Interlocked.Increment(ref _pending);
            if (Volatile.Read(ref _woken) == 0)
            {
                Wake();
            }
            return true;
        }

        /// <summary>Sets the player of the events tracked from now on (the raw id: the server pseudonymizes it).</summary>
        /// <param name="playerId">The game's player id, or null for none.</param>
        /// <param name="playerKey">The server's pseudonymous key of the player, when the game's backend knows it: sampling is then decided here too.</param>
        public void Identify(string? playerId, string? playerKey = null)
        {
            _playerId = playerId;
            _playerKey = playerId is null ? null : playerKey;
        }

        /// <summary>Starts a session (a new <see cref="SessionId"/>) and tracks <c>session_start</c>; returns the session id.</summary>
        public string StartSession(EventData? data = null)
        {
            var id = Guid.NewGuid().ToString("N");
            _sessionId = id;
            Track("session_start", data, priority: EventPriority.High);
            return id;
        }

        /// <summary>Tracks <c>session_end</c> and leaves the session.</summary>
        public void EndSession(EventData? data = null)
        {
            if (_sessionId is null)
            {
                return;
            }
            Track("session_end", data, priority: EventPriority.High);
            _sessionId = null;
        }

        /// <summary>
        /// The player's consent. True starts (or resumes) tracking. False stops it and deletes every queued event, on disk too.
        /// Remembered in the queue directory.
        /// </summary>
        public void SetConsent(bool granted)
        {
            lock (_stateGate)
            {
                _consent = granted;
            }
            // The files are changed outside the gate Track takes, so a Track on another thread never waits for the disk.
            lock (_ioGate)
            {
                if (!granted)
                {
                    while (_incoming.TryDequeue(out _))
                    {
                        Interlocked.Decrement(ref _pending);
                    }
                    _queue.Clear();
                }
                SaveState();
            }
        }

        /// <summary>The player's choice for one category: declining drops its queued events and stops tracking them.</summary>
        public void SetCategoryConsent(string category, bool granted)
        {
            if (category is null)
            {
                throw new ArgumentNullException(nameof(category));
            }
            lock (_stateGate)
            {
                if (granted)
                {
                    _declined.Remove(category);
                }
                else
                {
                    _declined.Add(category);
                }
            }
            lock (_ioGate)
            {
                if (!granted)
                {
                    DrainIncoming();
                    _queue.RemoveCategory(category);
                }
                SaveState();
            }
        }

        /// <summary>Whether a category is declined.</summary>
        public bool IsCategoryDeclined(string category)
        {
            lock (_stateGate)
            {
                return _declined.Contains(category);
            }
        }

        /// <summary>Sends everything queued now; true when the queue is empty after it (false: the server could not take it all).</summary>
        public Task<bool> FlushAsync(CancellationToken cancellation = default)
        {
            var request = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (Volatile.Read(ref _disposed) != 0)
            {
                request.SetResult(QueuedCount == 0);
                return request.Task;
            }
            _flushRequests.Enqueue(request);
            cancellation.Register(() => request.TrySetCanceled());
            Wake();
            return request.Task;
        }

        /// <summary>Flushes for at most <see cref="CairnClientOptions.DisposeTimeout"/>, then stops; what is left stays queued on disk.</summary>
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0)
            {
                return;
            }
            var flush = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            _flushRequests.Enqueue(flush);
            Wake();
            flush.Task.Wait(_options.DisposeTimeout);
            _stop.Cancel();
            try
            {
                _worker.Wait(TimeSpan.FromSeconds(2));
            }
            catch (AggregateException)
            {
            }
            DrainIncoming();
            _queue.Dispose();
            _transport.Dispose();
            _http.Dispose();
        }

        private void Wake()
        {
            Interlocked.Exchange(ref _woken, 1);
            if (_wake.CurrentCount == 0)
            {
                _wake.Release();
            }
        }

        private async Task RunAsync()
        {
            if (_options.FetchSampling && _options.Game is not null)
            {
                _ = FetchSamplingAsync();
            }
            var lastFlush = DateTime.UtcNow;
            var holding = false;
            while (!_stop.IsCancellationRequested)
            {
                var untilFlush = lastFlush + _options.FlushInterval - DateTime.UtcNow;
                try
                {
                    await _wake.WaitAsync(untilFlush > TimeSpan.Zero ? untilFlush : TimeSpan.Zero, _stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                Interlocked.Exchange(ref _woken, 0);
                DrainIncoming();
                var requests = new List<TaskCompletionSource<bool>>();
                while (_flushRequests.TryDequeue(out var request))
                {
                    requests.Add(request);
                }
                var due = DateTime.UtcNow - lastFlush >= _options.FlushInterval;
                // After a flush that could not send everything, a full batch waits for the next interval (or FlushAsync):
                // a server that is down is not asked again at every Track.
                var full = _queue.Count >= _options.BatchSize && !holding;
                if (requests.Count > 0 || full || (due && _queue.Count > 0))
                {
                    bool empty;
                    try
                    {
                        empty = await SendAllAsync(force: requests.Count > 0 || due).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        empty = false;
                    }
                    catch (Exception ex)
                    {
                        Report("retry_later", "The flush failed (" + ex.GetType().Name + "); the events stay queued.", 0);
                        empty = false;
                    }
                    lastFlush = DateTime.UtcNow;
                    holding = !empty;
                    foreach (var request in requests)
                    {
                        request.TrySetResult(empty && _queue.Count == 0 && Volatile.Read(ref _pending) == 0);
                    }
                }
                else if (due)
                {
                    lastFlush = DateTime.UtcNow;
                }
            }
        }

        private void DrainIncoming()
        {
            var batch = new List<QueuedEvent>();
            while (_incoming.TryDequeue(out var e))
            {
                batch.Add(e);
            }
            if (batch.Count == 0)
            {
                return;
            }
            int dropped;
            try
            {
                dropped = _queue.Add(batch);
            }
            finally
            {
                Interlocked.Add(ref _pending, -batch.Count);
            }
            if (dropped > 0)
            {
                Report("queue_full", $"The queue is over {_options.MaxQueueBytes} bytes: {dropped} events of the lowest priority, then the oldest, were dropped.", dropped);
            }
        }

        // Sends batches until the queue is empty (or, unforced, holds less than a batch): false when a batch could not be sent (it stays queued).
        private async Task<bool> SendAllAsync(bool force)
        {
            while (true)
            {
                DrainIncoming();
                var count = _queue.Count;
                if (count == 0 || (!force && count < _options.BatchSize))
                {
                    return true;
                }
                var batch = _queue.Peek(_options.BatchSize);
                if (!await SendBatchAsync(batch).ConfigureAwait(false))
                {
                    return false;
                }
            }
        }

        // One batch, with up to MaxAttempts attempts: true when the server answered for every event of it.
        private async Task<bool> SendBatchAsync(IReadOnlyList<QueuedEvent> batch)
        {
            for (var attempt = 1; ; attempt++)
            {
                var outcome = await _transport.SendAsync(batch, _stop.Token).ConfigureAwait(false);
                switch (outcome.Kind)
                {
                    case OutcomeKind.Answered:
                        return Settle(batch, outcome.Statuses!);
                    case OutcomeKind.TooLarge:
                    case OutcomeKind.Refused:
                        if (batch.Count == 1)
                        {
                            _queue.Remove(new[] { batch[0].Id });
                            Report(outcome.Kind == OutcomeKind.TooLarge ? "too_large" : "rejected",
                                outcome.Kind == OutcomeKind.TooLarge ? "An event is larger than the server takes in one request: dropped." : "The server refused an event: dropped.", 1);
                            return true;
                        }
                        var half = batch.Count / 2;
                        return await SendBatchAsync(batch.Take(half).ToList()).ConfigureAwait(false)
                            && await SendBatchAsync(batch.Skip(half).ToList()).ConfigureAwait(false);
                    case OutcomeKind.Unauthorized:
                        Report("unauthorized", "The server refused the ingest key; the events stay queued.", batch.Count);
                        return false;
                }
                if (attempt >= _options.MaxAttempts)
                {
                    Report("retry_later", $"The server could not take a batch after {attempt} attempts; it stays queued for the next flush.", batch.Count);
                    return false;
                }
                await Task.Delay(Delay(attempt, outcome.RetryAfter), _stop.Token).ConfigureAwait(false);
                DrainIncoming();
            }
        }

        private bool Settle(IReadOnlyList<QueuedEvent> batch, string[] statuses)
        {
            var done = new List<Guid>(batch.Count);
            var rejected = 0;
            for (var i = 0; i < batch.Count; i++)
            {
                switch (statuses[i])
                {
                    case "accepted":
                    case "duplicate":
                    case "sampled_out":
                        done.Add(batch[i].Id);
                        break;
                    case "rejected":
                        done.Add(batch[i].Id);
                        rejected++;
                        break;
                }
            }
            _queue.Remove(done);
            if (rejected > 0)
            {
                Report("rejected", $"The server rejected {rejected} events (kept in its quarantine); the rest of the batch is stored.", rejected);
            }
            return done.Count == batch.Count;
        }

        // Exponential backoff with full jitter; the server's Retry-After, when it gave one, is the least wait.
        private TimeSpan Delay(int attempt, TimeSpan? retryAfter)
        {
            double jitter;
            lock (_jitter)
            {
                jitter = _jitter.NextDouble();
            }
            var backoff = TimeSpan.FromMilliseconds(_options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1) * jitter);
            var wait = retryAfter is { } after && after > backoff ? after : backoff;
            return wait > _options.MaxRetryDelay ? _options.MaxRetryDelay : wait;
        }

        private async Task FetchSamplingAsync()
        {
            var cache = _options.QueueDirectory is null ? null : Path.Combine(_options.QueueDirectory, SamplingFile);
            try
            {
                if (cache is not null && File.Exists(cache))
                {
                    _sampling = SamplingRules.Parse(File.ReadAllBytes(cache));
                }
            }
            catch (Exception ex) when (ex is IOException || ex is JsonException)
            {
            }
            try
            {
                var uri = new Uri(_options.Endpoint!, "v1/config/sampling?game=" + Uri.EscapeDataString(_options.Game!));
                using var response = await _http.GetAsync(uri, _stop.Token).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                {
                    Report("sampling", $"The sampling rules could not be fetched ({(int)response.StatusCode}); the server decides.", 0);
                    return;
                }
                var bytes = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
                _sampling = SamplingRules.Parse(bytes);
                if (cache is not null)
                {
                    File.WriteAllBytes(cache + ".tmp", bytes);
                    File.Copy(cache + ".tmp", cache, overwrite: true);
                    File.Delete(cache + ".tmp");
                }
            }
            catch (Exception ex) when (ex is HttpRequestException || ex is IOException || ex is JsonException || ex is OperationCanceledException)
            {
                Report("sampling", "The sampling rules could not be fetched (" + ex.GetType().Name + "); the cached ones, or the server, decide.", 0);
            }
        }

        /// <summary>Waits until the sampling rules are known (fetched or cached), at most the given time; for tests and tools.</summary>
        internal bool WaitForSampling(TimeSpan timeout)
        {
            var until = DateTime.UtcNow + timeout;
            while (_sampling is null && DateTime.UtcNow < until)
            {
                Thread.Sleep(10);
            }
            return _sampling is not null;
        }

        private void LoadState()
        {
            var path = Path.Combine(_options.QueueDirectory!, StateFile);
            if (!File.Exists(path))
            {
                return;
            }
            try
            {
                using var document = JsonDocument.Parse(File.ReadAllBytes(path));
                var root = document.RootElement;
                if (root.TryGetProperty("clientGuid", out var guid))
                {
                    ClientGuid = guid.GetString()!;
                }
                if (root.TryGetProperty("consent", out var consent) && consent.ValueKind != JsonValueKind.Null)
                {
                    _consent = consent.GetBoolean();
                }
                if (root.TryGetProperty("declined", out var declined))
                {
                    foreach (var category in declined.EnumerateArray())
                    {
                        _declined.Add(category.GetString()!);
                    }
                }
                if (root.TryGetProperty("nextSeq", out var seq))
                {
                    _seq = seq.GetInt64();
                }
            }
            catch (JsonException)
            {
            }
        }

        private void SaveState()
        {
            if (_options.QueueDirectory is null || !_queue.Durable)
            {
                return;
            }
            var path = Path.Combine(_options.QueueDirectory, StateFile);
            bool? consentNow;
            List<string> declinedNow;
            lock (_stateGate)
            {
                consentNow = _consent;
                declinedNow = _declined.OrderBy(c => c, StringComparer.Ordinal).ToList();
            }
            var buffer = new BufferWriter(256);
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                writer.WriteString("clientGuid", ClientGuid);
                if (consentNow is { } consent)
                {
                    writer.WriteBoolean("consent", consent);
                }
                writer.WriteStartArray("declined");
                foreach (var category in declinedNow)
                {
                    writer.WriteStringValue(category);
                }
                writer.WriteEndArray();
                // Sequence numbers are never reused: leave room for the events tracked until the next save.
                writer.WriteNumber("nextSeq", Interlocked.Read(ref _seq) + 1_000_000);
                writer.WriteEndObject();
            }
            using (var file = new FileStream(path + ".tmp", FileMode.Create, FileAccess.Write))
            {
                file.Write(buffer.WrittenSpan);
                file.Flush(flushToDisk: true);
            }
            File.Copy(path + ".tmp", path, overwrite: true);
            File.Delete(path + ".tmp");
        }

        private void Report(string code, string message, int count)
        {
            try
            {
                _options.OnDiagnostic?.Invoke(new CairnDiagnostic(code, message, count));
            }
            catch (Exception)
            {
                // A game's handler never stops the client.
            }
        }
    }
}
