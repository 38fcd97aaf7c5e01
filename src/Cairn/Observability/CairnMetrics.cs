using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Cairn.Observability;

/// <summary>
/// Every instrument Cairn records, on one <see cref="Meter"/> named <see cref="MeterName"/> (created by the host's
/// <see cref="IMeterFactory"/>, so each host in a process has its own). <c>/metrics</c> exports them in the Prometheus
/// text format (<see cref="MetricsEndpoint"/>); OTLP export is optional (<see cref="MetricsOptions.OtlpEndpoint"/>).
/// Labels are bounded: org and game (bounded by the keys an admin creates), an error code, a route pattern, a fixed
/// outcome. Never a playerKey, an event id, a raw identity or a token.
/// </summary>
internal sealed class CairnMetrics
{
    public const string MeterName = "Cairn";

    /// <summary>Latency buckets in seconds: 1 ms to 10 s.</summary>
    internal static readonly double[] SecondsBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    /// <summary>Events per commit: 1 to the default Ingest:MaxEventsPerCommit and past it.</summary>
    internal static readonly double[] EventsBuckets = [1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000];

    /// <summary>Bytes per commit: 1 KiB to 64 MiB.</summary>
    internal static readonly double[] BytesBuckets = [1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];

    private readonly Counter<long> _received;
    private readonly Counter<long> _accepted;
    private readonly Counter<long> _duplicate;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _dropped;

    // The same figure per org for GET /v1/admin/stats, which reads it back (a Meter's counters cannot be read).
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _optedOutByOrg = new(StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _declinedCategoryByOrg = new(StringComparer.Ordinal);
    private readonly Counter<long> _ingestRefused;
    private readonly Histogram<double> _requestDuration;
    private readonly Counter<long> _refusals;
    private readonly Histogram<double> _commitDuration;
    private readonly Histogram<long> _commitEvents;
    private readonly Histogram<long> _commitBytes;
    private readonly Counter<long> _commitFailures;
    private readonly Histogram<double> _jobDuration;
    private readonly Counter<long> _jobFailures;
    private readonly Counter<long> _deadLettered;
    private readonly Counter<long> _catalogReloads;
    private readonly Counter<long> _analyticsDropped;
    private readonly Counter<long> _sampledOut;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Org, string Game, string EventType), long> _sampledOutByType = new();

    public CairnMetrics(IMeterFactory factory)
    {
        Meter = factory.Create(MeterName);
        _received = Meter.CreateCounter<long>("ingest_events_received", "{event}", "Events received in ingest batches that were read (every outcome below).");
        _accepted = Meter.CreateCounter<long>("ingest_events_accepted", "{event}", "Events stored (new).");
        _duplicate = Meter.CreateCounter<long>("ingest_events_duplicate", "{event}", "Events answered duplicate: their id was stored already.");
        _rejected = Meter.CreateCounter<long>("ingest_events_rejected", "{event}", "Events rejected (quarantined), by the code of their first error.");
        _dropped = Meter.CreateCounter<long>("ingest_events_dropped", "{event}", "Events answered accepted but stored nowhere (reason opted_out: the player opted out; consent_category: the player declined the event's category).");
        _ingestRefused = Meter.CreateCounter<long>("ingest_refused", "{request}", "Ingest requests refused for load or outage (503) or rate (429), by reason.");
        _requestDuration = Meter.CreateHistogram<double>("http_request_duration_seconds", "s", "HTTP request latency by method, route pattern and status code.");
        _refusals = Meter.CreateCounter<long>("http_refusals", "{response}", "Answers 503 (unavailable) and 429 (too many requests), by route pattern and code.");
        _commitDuration = Meter.CreateHistogram<double>("write_commit_duration_seconds", "s", "Time of one group commit (one store transaction), successful or not.");
        _commitEvents = Meter.CreateHistogram<long>("write_commit_events", "{event}", "Events (stored and quarantined) written per group commit.");
        _commitBytes = Meter.CreateHistogram<long>("write_commit_bytes", "By", "Bytes of event JSON, as received (after gzip), written per group commit.");
        _commitFailures = Meter.CreateCounter<long>("write_commit_failures", "{commit}", "Group commits the store refused (their requests were answered 503).");
        _jobDuration = Meter.CreateHistogram<double>("job_run_duration_seconds", "s", "Time to run one job's handler, by projection and outcome (ok, failed).");
        _jobFailures = Meter.CreateCounter<long>("job_failures", "{job}", "Job runs that failed (retried later, or dead-lettered).");
        _deadLettered = Meter.CreateCounter<long>("jobs_dead_lettered", "{job}", "Jobs moved to the dead-letter table after their last attempt failed.");
        _sampledOut = Meter.CreateCounter<long>("ingest_events_sampled_out", "{event}",
            "Valid events left out by their game's sampling rules (answered sampled_out, stored nowhere), by event type.");
        _analyticsDropped = Meter.CreateCounter<long>("analytics_drop", "{envelope}",
            "WebSocket analytics envelopes (or messages) refused as a whole, by error code: nothing of them was stored; the client resends or fixes them.");
        _catalogReloads = Meter.CreateCounter<long>("catalog_reloads", "{reload}", "Catalog (re)loads: ok, or refused (a file was refused; its game kept the version that worked).");
    }

    public Meter Meter { get; }

    /// <summary>
    /// Records 0 on the fixed label sets of the counters alerts watch, so each exists from the first scrape:
    /// an <c>increase()</c> needs two samples, and a series born at its first failure would hide that failure.
    /// </summary>
    public void Initialize(IEnumerable<string> projections)
    {
        foreach (var reason in new[] { "requests", "bytes", "events", "queue", "store", "starting", "rate_limit" })
        {
            _ingestRefused.Add(0, new KeyValuePair<string, object?>("reason", reason));
        }
        _commitFailures.Add(0);
        foreach (var code in new[] { "bad_envelope", "too_large", "rate_limited", "unavailable", "analytics_version", "unauthorized" })
        {
            _analyticsDropped.Add(0, new KeyValuePair<string, object?>("code", code));
        }
        foreach (var name in projections)
        {
            var projection = new KeyValuePair<string, object?>("projection", name);
            _jobFailures.Add(0, projection);
            _deadLettered.Add(0, projection);
        }
        _catalogReloads.Add(0, new KeyValuePair<string, object?>("outcome", "ok"));
        _catalogReloads.Add(0, new KeyValuePair<string, object?>("outcome", "refused"));
    }

    /// <summary>The buckets of a histogram of this meter, by name (the exporters ask).</summary>
    internal static double[]? BucketsOf(string instrument) => instrument switch
    {
        "write_commit_events" => EventsBuckets,
        "write_commit_bytes" => BytesBuckets,
        _ when instrument.EndsWith("_seconds", StringComparison.Ordinal) => SecondsBuckets,
        _ => null,
    };

    public void IngestOutcome(string org, string game, int accepted, int duplicates, int dropped, IEnumerable<string> rejectedCodes, int declinedCategory = 0)
    {
        var where = new TagList { { "org", org }, { "game", game } };
        var received = accepted + duplicates + dropped;
        foreach (var code in rejectedCodes)
        {
            received++;
            _rejected.Add(1, new TagList { { "org", org }, { "game", game }, { "reason", ReasonLabel(code) } });
        }
        _received.Add(received, where);
        _accepted.Add(accepted, where);
        _duplicate.Add(duplicates, where);
        var optedOut = dropped - declinedCategory;
        if (optedOut > 0)
        {
            _dropped.Add(optedOut, new TagList { { "org", org }, { "game", game }, { "reason", "opted_out" } });
            _optedOutByOrg.AddOrUpdate(org, optedOut, (_, n) => n + optedOut);
        }
        if (declinedCategory > 0)
        {
            _dropped.Add(declinedCategory, new TagList { { "org", org }, { "game", game }, { "reason", Consent.ConsentCategories.Reason } });
            _declinedCategoryByOrg.AddOrUpdate(org, declinedCategory, (_, n) => n + declinedCategory);
        }
    }

    /// <summary>
    /// Events of opted-out players answered as accepted and stored nowhere, per org, since this process started. Admin-only:
    /// the ingest answer must not reveal who opted out (an ingest key ships inside game clients).
    /// </summary>
    public IReadOnlyDictionary<string, long> OptedOutByOrg() => new SortedDictionary<string, long>(_optedOutByOrg, StringComparer.Ordinal);

    /// <summary>Events of a category the player declined, answered as accepted and stored nowhere, per org, since this process started (admin-only).</summary>
    public IReadOnlyDictionary<string, long> DeclinedCategoryByOrg() => new SortedDictionary<string, long>(_declinedCategoryByOrg, StringComparer.Ordinal);

    /// <summary>An ingest request refused as a whole: requests, bytes, events, queue (the in-flight budget or the writer's queue), store, starting, rate_limit.</summary>
    public void IngestRefused(string reason) => _ingestRefused.Add(1, new KeyValuePair<string, object?>("reason", reason));

    /// <summary>
    /// Sampled-out events. The event_type label is bounded: only event types a catalog's sampling rule gave a rate below 1
    /// can be sampled out.
    /// </summary>
    public void SampledOut(string org, string game, IEnumerable<string> eventTypes)
    {
        foreach (var eventType in eventTypes)
        {
            _sampledOut.Add(1, new TagList { { "org", org }, { "game", game }, { "event_type", eventType } });
            _sampledOutByType.AddOrUpdate((org, game, eventType), 1, (_, n) => n + 1);
        }
    }

    /// <summary>Sampled-out events per org, game and event type since this process started (for GET /v1/admin/stats).</summary>
    public IReadOnlyList<SampledOutCount> SampledOutByEventType() =>
        [.. _sampledOutByType.OrderBy(e => e.Key.Org, StringComparer.Ordinal).ThenBy(e => e.Key.Game, StringComparer.Ordinal)
            .ThenBy(e => e.Key.EventType, StringComparer.Ordinal).Select(e => new SampledOutCount(e.Key.Org, e.Key.Game, e.Key.EventType, e.Value))];

    /// <summary>A WebSocket envelope refused as a whole, by its error code.</summary>
    public void AnalyticsDropped(string code) => _analyticsDropped.Add(1, new KeyValuePair<string, object?>("code", code));

    public void Request(string method, string route, int status, double seconds)
    {
        _requestDuration.Record(seconds, new TagList { { "method", method }, { "route", route }, { "code", StatusLabel(status) } });
        if (status is StatusCodes.Status503ServiceUnavailable or StatusCodes.Status429TooManyRequests)
        {
            _refusals.Add(1, new TagList { { "route", route }, { "code", StatusLabel(status) } });
        }
    }

    public void Commit(double seconds, int events, long bytes, bool ok)
    {
        _commitDuration.Record(seconds, new KeyValuePair<string, object?>("outcome", ok ? "ok" : "failed"));
        if (ok)
        {
            _commitEvents.Record(events);
            _commitBytes.Record(bytes);
        }
        else
        {
            _commitFailures.Add(1);
        }
    }

    public void JobRun(string projection, double seconds, bool ok, bool deadLettered)
    {
        _jobDuration.Record(seconds, new TagList { { "projection", projection }, { "outcome", ok ? "ok" : "failed" } });
        if (!ok)
        {
            _jobFailures.Add(1, new KeyValuePair<string, object?>("projection", projection));
        }
        if (deadLettered)
        {
            _deadLettered.Add(1, new KeyValuePair<string, object?>("projection", projection));
        }
    }

    public void CatalogReload(bool ok) => _catalogReloads.Add(1, new KeyValuePair<string, object?>("outcome", ok ? "ok" : "refused"));

    /// <summary>Error codes are a fixed set of snake_case words; anything else (it should not happen) is "other", so the label stays bounded.</summary>
    internal static string ReasonLabel(string code) =>
        code.Length is > 0 and <= 32 && code.All(c => c is (>= 'a' and <= 'z') or '_') ? code : "other";

    private static string StatusLabel(int status) => status switch
    {
        200 => "200",
        429 => "429",
        503 => "503",
        _ => status.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
