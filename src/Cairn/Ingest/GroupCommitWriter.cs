using System.Threading.Channels;
using Cairn.Jobs;
using Cairn.Storage;
using Microsoft.Extensions.Options;

namespace Cairn.Ingest;

/// <summary>
/// The single writer. Requests wait in a bounded channel; the writer takes as many as are waiting
/// (up to <see cref="IngestOptions.MaxEventsPerCommit"/> events), commits them in one transaction,
/// and only then completes each request. One fsync is shared by every request in the commit.
/// </summary>
internal sealed class GroupCommitWriter(
    IEventLog store, IOptions<IngestOptions> options, ILogger<GroupCommitWriter> logger, JobSignal? jobSignal = null,
    Observability.CairnMetrics? metrics = null, TimeProvider? time = null)
    : BackgroundService
{
    private sealed record Request(WriteBatch Batch, TaskCompletionSource<bool[]> Done);

    private readonly Channel<Request> _queue = Channel.CreateBounded<Request>(new BoundedChannelOptions(options.Value.QueueCapacity)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    private readonly int _maxEventsPerCommit = options.Value.MaxEventsPerCommit;
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private long _queuedBytes;

    /// <summary>Requests waiting for the writer and the bytes of their events (the gauges of /metrics).</summary>
    public (int Requests, long Bytes) Queued => (_queue.Reader.Count, Interlocked.Read(ref _queuedBytes));

    /// <summary>Queues a batch; completes once it is durable. Throws <see cref="WriteQueueFullException"/> at once when saturated.</summary>
    public Task<bool[]> WriteAsync(WriteBatch batch)
    {
        var request = new Request(batch, new TaskCompletionSource<bool[]>(TaskCreationOptions.RunContinuationsAsynchronously));
        Interlocked.Add(ref _queuedBytes, batch.Bytes);
        if (!_queue.Writer.TryWrite(request))
        {
            Interlocked.Add(ref _queuedBytes, -batch.Bytes);
            throw new WriteQueueFullException();
        }
        return request.Done.Task;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var pending = new List<Request>();
        var batches = new List<WriteBatch>();
        var reader = _queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                var events = 0;
                while (events < _maxEventsPerCommit && reader.TryRead(out var request))
                {
                    pending.Add(request);
                    batches.Add(request.Batch);
                    events += request.Batch.Events.Count + request.Batch.Rejected.Count;
                }
                await CommitAsync(pending, batches, events);
                pending.Clear();
                batches.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        // Shutting down: commit whatever is already queued so no accepted request is left hanging.
        _queue.Writer.TryComplete();
        while (reader.TryRead(out var request))
        {
            pending.Add(request);
            batches.Add(request.Batch);
        }
        if (pending.Count > 0)
        {
            await CommitAsync(pending, batches, batches.Sum(b => b.Events.Count));
        }
    }

    private async Task CommitAsync(List<Request> pending, List<WriteBatch> batches, int events)
    {
        long bytes = 0;
        foreach (var batch in batches)
        {
            bytes += batch.Bytes;
        }
        Interlocked.Add(ref _queuedBytes, -bytes);
        var started = _time.GetTimestamp();
        try
        {
            var results = await store.WriteAsync(batches, CancellationToken.None);
            metrics?.Commit(_time.GetElapsedTime(started).TotalSeconds, events, bytes, ok: true);
            var wroteJobs = false;
            for (var i = 0; i < pending.Count; i++)
            {
                pending[i].Done.TrySetResult(results[i]);
                var written = pending[i].Batch.Events;
                for (var e = 0; e < written.Count && !wroteJobs; e++)
                {
                    wroteJobs = results[i][e] && written[e].Jobs is { Count: > 0 };
                }
            }
            if (wroteJobs)
            {
                jobSignal?.Notify();
            }
            Log.Committed(logger, pending.Count, events);
        }
        catch (Exception ex)
        {
            metrics?.Commit(_time.GetElapsedTime(started).TotalSeconds, events, bytes, ok: false);
            Log.CommitFailed(logger, pending.Count, ex);
            var failure = ex as StoreUnavailableException ?? new StoreUnavailableException("The store refused the write.", ex);
            foreach (var request in pending)
            {
                request.Done.TrySetException(failure);
            }
        }
    }
}
