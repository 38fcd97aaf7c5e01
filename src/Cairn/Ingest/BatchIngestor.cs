using Cairn.Access;
using Cairn.Storage;

namespace Cairn.Ingest;

/// <summary>
/// The one path from parsed events to stored events and per-event results, shared by <c>POST /v1/events</c> and the
/// WebSocket (<c>GET /v1/ws</c>): the pipeline prepares the batch, the group-commit writer stores it, the results and
/// the metrics follow. The same events give the same answer whichever way they came.
/// </summary>
internal sealed class BatchIngestor(
    IngestPipeline pipeline, GroupCommitWriter writer, Groups.ClassRosters rosters, Observability.CairnMetrics metrics, ILogger<BatchIngestor> logger)
{
    /// <summary>Stores a batch of one ingest key; the outcome says what happened to the batch as a whole.</summary>
    public async Task<BatchOutcome> IngestAsync(Caller.IngestKey key, IReadOnlyList<IncomingEvent> incoming, string? country = null)
    {
        var scope = new IngestScope(key.OrgId, key.Game, Live: true, country);
        var prepared = pipeline.Prepare(scope, incoming);
        bool[] inserted;
        try
        {
            inserted = await writer.WriteAsync(prepared.Batch);
        }
        catch (WriteQueueFullException)
        {
            Log.QueueFull(logger);
            metrics.IngestRefused("queue");
            return new BatchOutcome(null, BatchRefusal.QueueFull);
        }
        catch (StoreUnavailableException)
        {
            metrics.IngestRefused("store");
            return new BatchOutcome(null, BatchRefusal.StoreUnavailable);
        }
        // The events are stored: the class rosters their LMS class_id names follow even if the client has gone (a short
        // write; failures are only logged).
        var warnings = await rosters.ApplyAsync(scope, prepared, CancellationToken.None);
        var response = IngestResponse.From(Groups.ClassRosters.WithWarnings(IngestPipeline.Complete(prepared, inserted), warnings));
        metrics.IngestOutcome(key.OrgId, key.Game, response.Accepted - response.OptedOut, response.Duplicates, response.OptedOut,
            response.Results.Where(r => r.Status == EventResult.Rejected).Select(r => r.Errors is [var first, ..] ? first.Code : "other"), response.DeclinedCategory);
        if (response.SampledOut > 0)
        {
            metrics.SampledOut(key.OrgId, key.Game, response.Results.Where(r => r.Status == EventResult.SampledOut).Select(r => r.EventType!));
        }
        Log.BatchDone(logger, key.OrgId, key.Game, response.Accepted, response.Duplicates, response.Rejected);
        return new BatchOutcome(response, null);
    }
}

/// <summary>A stored batch's answer, or why nothing of it was stored.</summary>
internal readonly record struct BatchOutcome(IngestResponse? Response, BatchRefusal? Refusal);

/// <summary>Why a whole batch was refused (nothing of it stored; the client retries it with the same event ids).</summary>
internal enum BatchRefusal
{
    /// <summary>The writer's queue is full: the server is saturated.</summary>
    QueueFull,

    /// <summary>The store failed the commit.</summary>
    StoreUnavailable,
}
