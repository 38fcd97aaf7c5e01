using System.Diagnostics.Metrics;
using Cairn.Dashboard;
using Cairn.Hosting;
using Cairn.Ingest;

namespace Cairn.Observability;

/// <summary>The gauges of a serving process: read from the components that hold the figures, when a scrape asks.</summary>
internal sealed class ServerGauges
{
    public ServerGauges(CairnMetrics metrics, IngestBudget budget, GroupCommitWriter writer, LiveStreams streams, BackgroundHealth health, JobQueueSample jobs,
        Ingest.WebSockets.AnalyticsSockets sockets)
    {
        var meter = metrics.Meter;
        meter.CreateObservableGauge("ingest_requests_in_flight", () => budget.InFlight.Requests, "{request}",
            "Ingest requests admitted and not yet answered (bound: Ingest:QueueCapacity).");
        meter.CreateObservableGauge("ingest_bytes_in_flight", () => budget.InFlight.Bytes, "By",
            "Request body bytes held by admitted ingest requests (bound: Ingest:MaxBytesInFlight).");
        meter.CreateObservableGauge("ingest_events_in_flight", () => budget.InFlight.Events, "{event}",
            "Events held by admitted ingest requests (bound: Ingest:MaxEventsInFlight).");
        meter.CreateObservableGauge("write_queue_depth", () => (long)writer.Queued.Requests, "{request}",
            "Requests waiting for the group-commit writer (bound: Ingest:QueueCapacity).");
        meter.CreateObservableGauge("write_queue_bytes", () => writer.Queued.Bytes, "By",
            "Bytes of event JSON (as received) in the requests waiting for the writer.");
        meter.CreateObservableGauge("analytics_connections", () => (long)sockets.Open, "{connection}",
            "Analytics WebSockets open on this process (bound: Ingest:WebSocket:MaxConnections).");
        meter.CreateObservableGauge("analytics_queue_depth", () => (long)sockets.InFlight, "{envelope}",
            "WebSocket envelopes received and not yet answered (bound: Ingest:WebSocket:MaxInFlightPerConnection per connection).");
        meter.CreateObservableGauge("live_streams", () => (long)streams.Open, "{stream}",
            "Live progress streams (SSE clients) open on this process.");
        meter.CreateObservableGauge("jobs_queued", () => PerProjection(jobs, c => c.Pending), "{job}",
            "Jobs waiting in the queue (due, or retrying later), not under a lease; the whole store, not this process.");
        meter.CreateObservableGauge("jobs_leased", () => PerProjection(jobs, c => c.Leased), "{job}",
            "Jobs under a worker's lease (running, or their worker died and the lease has not expired yet).");
        meter.CreateObservableGauge("jobs_oldest_due_age_seconds",
            () => jobs.Projections().Select(p => new Measurement<double>(jobs.OldestDueAgeSeconds(p.Counts), Label(p.Projection))), "s",
            "How long the oldest due job has waited since it became due; 0 when none is due.");
        meter.CreateObservableGauge("jobs_dead", () => PerProjection(jobs, c => c.Dead), "{job}",
            "Jobs in the dead-letter table (see GET /v1/admin/jobs/dead; requeue with POST /v1/admin/jobs/dead/retry).");
        meter.CreateObservableCounter("background_failures",
            () => health.Snapshot().Select(c => new Measurement<long>(c.Failures, new KeyValuePair<string, object?>("component", c.Name))), "{failure}",
            "Failures of a background component since the start (it retries with backoff).");
        meter.CreateObservableGauge("background_failing",
            () => health.Snapshot().Select(c => new Measurement<int>(c.Status == BackgroundHealth.Failing ? 1 : 0, new KeyValuePair<string, object?>("component", c.Name))), "",
            "1 while a background component is failing (its last attempt failed), else 0.");
    }

    private static IEnumerable<Measurement<long>> PerProjection(JobQueueSample jobs, Func<Storage.JobCounts, long> figure) =>
        jobs.Projections().Select(p => new Measurement<long>(figure(p.Counts), Label(p.Projection)));

    private static KeyValuePair<string, object?> Label(string projection) => new("projection", projection);
}
