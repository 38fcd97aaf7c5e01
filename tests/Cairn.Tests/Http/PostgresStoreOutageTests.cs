using System.Net;
using Cairn.Tests.Support;

namespace Cairn.Tests.Http;

/// <summary>
/// PostgreSQL going away under load, on a cluster of its own: sessions terminated by the administrator (57P01), the
/// cluster stopped with <c>pg_ctl -m immediate</c> (sessions cut, then connection refused), and started again.
/// </summary>
public sealed class PostgresStoreOutageTests
{
    [SkippableFact]
    public async Task Issue_7_a_postgres_outage_answers_503_with_retry_after_on_ingest_and_reads_and_loses_no_acknowledged_event()
    {
        await using var postgres = await PostgresServer.StartDedicatedAsync();
        // The clients below retry at once instead of after Retry-After, far above the per-key rate limit: that limit is not under test.
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Ingest:RateLimitPerSecond"] = "0" }, store: postgres.ConnectionString);
        var outage = new StoreOutage(server);
        Assert.Equal(HttpStatusCode.OK, await outage.PostBatchAsync());
        Assert.Equal(HttpStatusCode.OK, await outage.SendAsync(HttpMethod.Get, "/v1/admin/keys"));

        // Terminated: the session of a read is ended by the administrator while its query runs (57P01).
        var terminated = await postgres.TerminateMidQueryAsync("api_keys", () => outage.SendAsync(HttpMethod.Get, "/v1/admin/keys"));

        // Clients keep sending while the cluster is stopped hard, and for a while after (connection refused).
        using var stop = new CancellationTokenSource();
        var clients = Enumerable.Range(0, 4).Select(i => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                _ = i % 2 == 0 ? await outage.PostBatchAsync() : await outage.SendAsync(HttpMethod.Get, i == 1 ? "/v1/admin/keys" : "/v1/admin/audit");
            }
        })).ToArray();
        await Task.Delay(500);
        await postgres.StopImmediatelyAsync();
        await Task.Delay(2_000);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await outage.SendAsync(HttpMethod.Post, "/v1/admin/keys", """{"org":"o2","game":"g2"}"""));
        await stop.CancelAsync();
        await Task.WhenAll(clients);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, terminated);
        outage.AssertOnlySuccessOr503();
        Assert.True(outage.Count("POST /v1/events", HttpStatusCode.ServiceUnavailable) > 0, "ingest never met the outage");
        Assert.True(outage.Count("GET /v1/admin/", HttpStatusCode.ServiceUnavailable) > 1, "reads never met the outage");

        await postgres.StartAgainAsync();
        var recovered = false;
        for (var attempt = 0; attempt < 50 && !recovered; attempt++)
        {
            // Pooled sessions from before the stop are broken: each is found out (503) once, then the pool opens new ones.
            recovered = await outage.PostBatchAsync() == HttpStatusCode.OK && await outage.SendAsync(HttpMethod.Get, "/v1/admin/keys") == HttpStatusCode.OK;
        }
        Assert.True(recovered, "the server did not recover once PostgreSQL was back");
        outage.AssertOnlySuccessOr503();
        var acknowledged = outage.Acknowledged;
        var stored = new StoreSql("", postgres.ConnectionString).Scalar($"SELECT COUNT(*) FROM events WHERE event_id IN ({string.Join(',', acknowledged.Select(id => $"'{id}'"))});");
        Assert.Equal(acknowledged.Count, stored);
    }
}
