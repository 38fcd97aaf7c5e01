using System.Globalization;
using System.Net;
using System.Text.Json;
using Cairn.Ingest.Sampling;
using Cairn.Tests.Support;

namespace Cairn.Tests.Sdk;

/// <summary>
/// Issue 16: the web SDK (clients/js/cairn.js) in a real Chromium, on a page of another origin, against a real Cairn
/// server on loopback (SQLite; the SDK sees only HTTP, so the store does not matter here).
/// </summary>
public sealed class WebSdkTests
{
    private const string SamplingCatalog = $$"""
        game: {{TestServer.Game}}
        sampling:
          rules:
            - { eventType: client_tick, rate: 0.3 }
            - { category: performance, rate: 0.5 }
        points: []
        """;

    private static Task<TestServer> StartServerAsync(SdkPage page, bool cors = true) =>
        TestServer.StartAsync(
            cors ? new Dictionary<string, string?> { ["Http:CorsOrigins:0"] = page.Origin } : null,
            new Dictionary<string, string> { ["game.yaml"] = SamplingCatalog });

    /// <summary>JavaScript that creates <c>window.cairn</c> against the server, with extra options.</summary>
    private static string Create(TestServer server, string extra = "") =>
        $$"""
        window.cairn = await sdk.CairnClient.create({ endpoint: {{JsonSerializer.Serialize(server.Http.BaseAddress!.GetLeftPart(UriPartial.Authority))}},
          key: {{JsonSerializer.Serialize(server.IngestKey)}}, game: {{JsonSerializer.Serialize(TestServer.Game)}},
          flushIntervalMs: 300, baseDelayMs: 50, maxDelayMs: 200, {{extra}} });
        """;

    private static long Stored(TestServer server, string clientGuid) =>
        server.Sql.Scalar($"SELECT COUNT(*) FROM events WHERE event_id LIKE '{clientGuid}:%';");

    private static long StoredDistinct(TestServer server, string clientGuid) =>
        server.Sql.Scalar($"SELECT COUNT(DISTINCT event_id) FROM events WHERE event_id LIKE '{clientGuid}:%';");

    private static async Task WaitStoredAsync(TestServer server, string clientGuid, long count)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (Stored(server, clientGuid) < count)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"only {Stored(server, clientGuid)} of {count} events arrived");
            await Task.Delay(100);
        }
    }

    [SkippableFact]
    public async Task Issue_16_tracked_events_arrive_once_over_http_from_a_page_of_another_origin()
    {
        await using var page = await SdkPage.StartAsync();
        await using var server = await StartServerAsync(page);

        var result = page.Run(Create(server) + """
            cairn.identify("ada@school.example");
            cairn.sessionStart({ level: 1 });
            for (let i = 0; i < 5; i++) cairn.track("levelComplete", { level: i, score: 90 });
            cairn.sessionEnd();
            const first = await cairn.flush();
            const second = await cairn.flush();
            return { guid: cairn.clientGuid, first, second, queued: cairn.queued };
            """);

        var guid = result.GetProperty("guid").GetString()!;
        Assert.Equal(7, result.GetProperty("first").GetProperty("accepted").GetInt32());
        Assert.Equal(0, result.GetProperty("second").GetProperty("sent").GetInt32());
        Assert.Equal(0, result.GetProperty("queued").GetInt32());
        Assert.Equal(7, Stored(server, guid));
        Assert.Equal(7, StoredDistinct(server, guid));
        // The ids are clientGuid:seq.random, the seqs 0 to 6.
        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"{guid}:{i}").Order(StringComparer.Ordinal),
            server.Sql.Column($"SELECT event_id FROM events WHERE event_id LIKE '{guid}:%';").Select(id => id[..id.LastIndexOf('.')]).Order(StringComparer.Ordinal));
        var key = await server.PlayerKeyAsync("ada@school.example");
        Assert.Equal(7, server.Sql.Scalar($"SELECT COUNT(*) FROM events WHERE player_key = '{key}' AND session_id IS NOT NULL;"));
    }

    [SkippableFact]
    public async Task Issue_16_without_the_page_origin_in_Http_CorsOrigins_the_browser_cannot_send_and_keeps_the_events()
    {
        await using var page = await SdkPage.StartAsync();
        await using var server = await StartServerAsync(page, cors: false);

        var result = page.Run(Create(server, "sampling: false, maxAttempts: 1") + """
            cairn.track("levelComplete", { level: 1 });
            const outcome = await cairn.flush();
            return { guid: cairn.clientGuid, delivered: outcome.delivered, queued: cairn.queued, error: cairn.lastError };
            """);

        Assert.False(result.GetProperty("delivered").GetBoolean());
        Assert.Equal(1, result.GetProperty("queued").GetInt32());
        Assert.Equal(0, Stored(server, result.GetProperty("guid").GetString()!));
    }

    [SkippableFact]
    public async Task Issue_16_cors_answers_preflights_of_listed_origins_on_the_sdk_paths_only()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Http:CorsOrigins:0"] = "https://game.example" });

        async Task<HttpResponseMessage> PreflightAsync(string path, string origin)
        {
            var request = new HttpRequestMessage(HttpMethod.Options, path);
            request.Headers.Add("Origin", origin);
            request.Headers.Add("Access-Control-Request-Method", "POST");
            request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
            return await server.Http.SendAsync(request);
        }

        using var allowed = await PreflightAsync("/v1/events", "https://game.example");
        using var other = await PreflightAsync("/v1/events", "https://evil.example");
        using var admin = await PreflightAsync("/v1/admin/stats", "https://game.example");
        var post = new HttpRequestMessage(HttpMethod.Post, "/v1/events") { Content = new StringContent(Events.Array(Events.Canonical("cors-1", "p@example.com")), System.Text.Encoding.UTF8, "application/json") };
        post.Headers.Add("Origin", "https://game.example");
        post.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", server.IngestKey);
        using var posted = await server.Http.SendAsync(post);

        Assert.Equal(HttpStatusCode.NoContent, allowed.StatusCode);
        Assert.Equal("https://game.example", allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("authorization", string.Join(",", allowed.Headers.GetValues("Access-Control-Allow-Headers")), StringComparison.OrdinalIgnoreCase);
        Assert.False(other.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.False(admin.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        Assert.Equal("https://game.example", posted.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal("Retry-After", posted.Headers.GetValues("Access-Control-Expose-Headers").Single());
    }

    [SkippableFact]
    public async Task Issue_16_events_tracked_while_the_server_is_down_are_delivered_when_it_is_back()
    {
        await using var page = await SdkPage.StartAsync();
        await using var server = await StartServerAsync(page);
        page.Run(Create(server));
        await server.StopKeepingPortAsync();

        var offline = page.Run("""
            cairn.identify("ben@school.example");
            for (let i = 0; i < 10; i++) cairn.track("levelComplete", { level: i });
            const outcome = await cairn.flush();
            return { guid: cairn.clientGuid, delivered: outcome.delivered, queued: cairn.queued, error: cairn.lastError };
            """);
        await server.StartAgainAsync();
        var guid = offline.GetProperty("guid").GetString()!;
        await WaitStoredAsync(server, guid, 10);
        await page.WaitForAsync("cairn.queued === 0", "the queue to empty");

        Assert.False(offline.GetProperty("delivered").GetBoolean());
        Assert.Equal(10, offline.GetProperty("queued").GetInt32());
        Assert.False(string.IsNullOrEmpty(offline.GetProperty("error").GetString()));
        Assert.Equal(10, Stored(server, guid));
        Assert.Equal(10, StoredDistinct(server, guid));
    }

    [SkippableFact]
    public async Task Issue_16_a_queue_left_in_IndexedDB_is_delivered_after_a_reload_and_no_seq_is_reused()
    {
        await using var page = await SdkPage.StartAsync();
        await using var server = await StartServerAsync(page);
        page.Run(Create(server));
        await server.StopKeepingPortAsync();
        var before = page.Run("""
            cairn.identify("cy@school.example");
            for (let i = 0; i < 8; i++) cairn.track("levelComplete", { level: i }, { priority: i % 2 ? "high" : "low" });
            await cairn.saved();
            return { guid: cairn.clientGuid, queued: cairn.queued };
            """);

        page.Open();
        var stored = page.Run("""
            const db = await new Promise((ok, fail) => { const r = indexedDB.open("cairn:game-test"); r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error); });
            return await new Promise((ok) => { db.transaction("events").objectStore("events").count().onsuccess = (e) => ok(e.target.result); });
            """);
        await server.StartAgainAsync();
        var after = page.Run(Create(server) + """
            await cairn.flush();
            const id = cairn.track("levelComplete", { level: 99 });
            await cairn.flush();
            return { guid: cairn.clientGuid, id, queued: cairn.queued };
            """);

        var guid = before.GetProperty("guid").GetString()!;
        Assert.Equal(8, before.GetProperty("queued").GetInt32());
        Assert.Equal(8, stored.GetInt32());
        Assert.Equal(guid, after.GetProperty("guid").GetString());
        Assert.StartsWith($"{guid}:8.", after.GetProperty("id").GetString());
        Assert.Equal(0, after.GetProperty("queued").GetInt32());
        Assert.Equal(9, Stored(server, guid));
        Assert.Equal(9, StoredDistinct(server, guid));
    }

    [SkippableFact]
    public async Task Issue_16_events_sent_on_page_hide_and_again_from_the_queue_are_stored_once()
    {
        await using var page = await SdkPage.StartAsync();
        await using var server = await StartServerAsync(page);
        var guid = page.Run(Create(server, "flushIntervalMs: 600000") + """
            cairn.identify("dee@school.example");
            for (let i = 0; i < 6; i++) cairn.track("levelComplete", { level: i });
            await cairn.saved();
            return cairn.clientGuid;
            """).GetString()!;

        // Leaving the page fires pagehide: a keepalive POST the page never sees answered, so the queue keeps the events.
        page.Driver.Navigate().GoToUrl("about:blank");
        await WaitStoredAsync(server, guid, 6);
        page.Open();
        var resent = page.Run(Create(server) + """
            const queuedAtStart = cairn.queued;
            const outcome = await cairn.flush();
            return { queuedAtStart, outcome, queued: cairn.queued };
            """);

        // The new page found the six still queued and sent them again: each answered duplicate, stored once.
        Assert.Equal(6, resent.GetProperty("queuedAtStart").GetInt32());
        Assert.Equal(6, resent.GetProperty("outcome").GetProperty("duplicates").GetInt32());
        Assert.Equal(0, resent.GetProperty("outcome").GetProperty("accepted").GetInt32());
        Assert.Equal(6, Stored(server, guid));
        Assert.Equal(6, StoredDistinct(server, guid));
        Assert.Equal(0, resent.GetProperty("queued").GetInt32());
    }

    [SkippableFact]
    public async Task Issue_16_consent_nothing_is_kept_before_it_declined_categories_are_dropped_and_opting_out_clears_the_queue()
    {
        await using var page = await SdkPage.StartAsync();
        await using var server = await StartServerAsync(page);

        var result = page.Run(Create(server, "requireConsent: true, sampling: false, flushIntervalMs: 600000") + """
            cairn.identify("eve@school.example");
            const before = cairn.track("levelComplete", { level: 1 });
            await cairn.setConsent(true, { performance: false });
            const perf = cairn.track("page_load_time", { ms: 20 }, { category: "performance" });
            const kept = cairn.track("levelComplete", { level: 2 }, { category: "gameplay" });
            const sent = await cairn.flush();
            cairn.track("levelComplete", { level: 3 });
            cairn.track("levelComplete", { level: 4 });
            await cairn.saved();
            await cairn.setConsent(false);
            const afterOptOut = cairn.track("levelComplete", { level: 5 });
            const queuedAfterOptOut = cairn.queued;
            await cairn.close();
            return { guid: cairn.clientGuid, before, perf, kept, accepted: sent.accepted, afterOptOut, queuedAfterOptOut };
            """);
        page.Open();
        var reloaded = page.Run(Create(server, "requireConsent: true, sampling: false, flushIntervalMs: 600000") + """
            const id = cairn.track("levelComplete", { level: 6 });
            return { queued: cairn.queued, id, granted: cairn.consent.granted };
            """);

        var guid = result.GetProperty("guid").GetString()!;
        Assert.Equal(JsonValueKind.Null, result.GetProperty("before").ValueKind);
        Assert.Equal(JsonValueKind.Null, result.GetProperty("perf").ValueKind);
        Assert.Equal(JsonValueKind.String, result.GetProperty("kept").ValueKind);
        Assert.Equal(1, result.GetProperty("accepted").GetInt32());
        Assert.Equal(JsonValueKind.Null, result.GetProperty("afterOptOut").ValueKind);
        Assert.Equal(0, result.GetProperty("queuedAfterOptOut").GetInt32());
        // The opt-out lasts across the reload, with an empty durable queue.
        Assert.Equal(0, reloaded.GetProperty("queued").GetInt32());
        Assert.False(reloaded.GetProperty("granted").GetBoolean());
        Assert.Equal(1, Stored(server, guid));
    }

    [SkippableFact]
    public async Task Issue_16_the_sdk_samples_exactly_as_the_server_and_sends_no_sampled_out_event()
    {
        await using var page = await SdkPage.StartAsync();
        await using var server = await StartServerAsync(page);
        var random = new Random(16);
        var keys = new List<string>();
        for (var i = 0; i < 60; i++)
        {
            keys.Add(await server.PlayerKeyAsync($"sampled.{i}@school.example"));
        }
        // The hash on arbitrary text too (non-ASCII, surrogate pairs, long), against the server's own function.
        var strings = Enumerable.Range(0, 400).Select(i => new string(Enumerable.Range(0, random.Next(0, 90))
            .Select(_ => "aZ9_-é✓🎮\u4e2d"[random.Next(0, 10)]).ToArray()).Replace("\ud83c", "").Replace("\udfae", "") + i.ToString(CultureInfo.InvariantCulture)).ToList();
        strings.AddRange(keys);

        var positions = page.Run($"return {JsonSerializer.Serialize(strings)}.map(s => sdk.position(s, 'client_tick'));")
            .EnumerateArray().Select(p => p.GetDouble()).ToList();
        var result = page.Run(Create(server) + $$"""
            const keys = {{JsonSerializer.Serialize(keys)}};
            const ids = [];
            keys.forEach((k, i) => {
              cairn.identify(`sampled.${i}@school.example`, { playerKey: k });
              ids.push(cairn.track("client_tick", { i }));
              ids.push(cairn.track("page_load_time", { i }));
            });
            const outcome = await cairn.flush();
            return { guid: cairn.clientGuid, ids, outcome, sampledOutHere: cairn.stats.sampledOut };
            """);

        Assert.Equal(strings.Select(s => Sampler.Position(s, "client_tick")), positions);
        var ids = result.GetProperty("ids").EnumerateArray().ToList();
        var expected = keys.SelectMany(k => new[] { Sampler.Keep(k, "client_tick", 0.3), Sampler.Keep(k, "page_load_time", 0.5) }).ToList();
        Assert.InRange(expected.Count(e => !e), 10, expected.Count - 10);
        Assert.Equal(expected, ids.Select(id => id.ValueKind == JsonValueKind.String));
        var outcome = result.GetProperty("outcome");
        Assert.Equal(0, outcome.GetProperty("sampledOut").GetInt32());
        Assert.Equal(expected.Count(e => e), outcome.GetProperty("accepted").GetInt32());
        Assert.Equal(expected.Count(e => !e), result.GetProperty("sampledOutHere").GetInt32());
        Assert.Equal(expected.Count(e => e), Stored(server, result.GetProperty("guid").GetString()!));
    }

    [SkippableFact]
    public async Task Issue_16_the_websocket_transport_delivers_and_a_resent_envelope_stores_nothing_twice()
    {
        await using var page = await SdkPage.StartAsync();
        await using var server = await StartServerAsync(page);

        var result = page.Run(Create(server, "transport: 'websocket', sampling: false") + """
            cairn.identify("fay@school.example");
            for (let i = 0; i < 5; i++) cairn.track("levelComplete", { level: i });
            const batch = cairn.queue.slice();
            const first = await cairn.flush();
            // The same envelope again, as after a reconnect without its ack: answered duplicate.
            const again = await cairn._sendSocket(batch);
            await cairn.close();
            return { guid: cairn.clientGuid, first, statuses: again.results.map(r => r.status) };
            """);

        var guid = result.GetProperty("guid").GetString()!;
        Assert.Equal(5, result.GetProperty("first").GetProperty("accepted").GetInt32());
        Assert.All(result.GetProperty("statuses").EnumerateArray(), s => Assert.Equal("duplicate", s.GetString()));
        Assert.Equal(5, Stored(server, guid));
    }
    [SkippableFact]
    public async Task Issue_16_the_queue_bound_drops_the_lowest_priority_first_then_the_oldest()
    {
        await using var page = await SdkPage.StartAsync();
        await using var server = await StartServerAsync(page);

        var result = page.Run(Create(server, "sampling: false, flushIntervalMs: 600000, batchSize: 1000, maxQueueBytes: 12000") + """
            cairn.identify("gus@school.example");
            const ids = [];
            for (let i = 0; i < 40; i++) ids.push({ i, id: cairn.track("levelComplete", { level: i }, { priority: i % 4 === 0 ? "high" : "low" }) });
            await cairn.saved();
            const left = cairn.queue.map(r => JSON.parse(r.json).data.level);
            const bytes = cairn.queueBytes;
            const outcome = await cairn.flush();
            return { left, bytes, evicted: cairn.stats.evicted, accepted: outcome.accepted, guid: cairn.clientGuid };
            """);

        var left = result.GetProperty("left").EnumerateArray().Select(e => e.GetInt32()).ToList();
        var high = Enumerable.Range(0, 40).Where(i => i % 4 == 0).ToList();
        Assert.InRange(result.GetProperty("bytes").GetInt32(), 1, 12000);
        Assert.Equal(40 - left.Count, result.GetProperty("evicted").GetInt32());
        // Every high-priority event is kept; of the low ones only the newest.
        Assert.Equal(high, left.Where(i => i % 4 == 0));
        var lows = left.Where(i => i % 4 != 0).ToList();
        Assert.NotEmpty(lows);
        Assert.Equal(Enumerable.Range(0, 40).Where(i => i % 4 != 0).TakeLast(lows.Count), lows);
        Assert.Equal(left.Count, result.GetProperty("accepted").GetInt32());
        Assert.Equal(left.Count, Stored(server, result.GetProperty("guid").GetString()!));
    }

    [SkippableFact]
    public async Task Issue_16_a_429_is_retried_after_its_Retry_After_and_a_413_splits_the_batch_and_every_event_is_stored_once()
    {
        await using var page = await SdkPage.StartAsync();
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?>
        {
            ["Http:CorsOrigins:0"] = page.Origin, ["Ingest:RateLimitPerSecond"] = "1", ["Ingest:RateLimitBurst"] = "1", ["Ingest:MaxEventsPerBatch"] = "4",
        });

        var result = page.Run("""
            window.calls = [];
            const real = window.fetch;
            window.fetch = async (url, init) => { const r = await real(url, init); calls.push({ at: performance.now(), status: r.status, url: String(url) }); return r; };
            """ + Create(server, "sampling: false, flushIntervalMs: 600000, batchSize: 10, maxAttempts: 5, maxDelayMs: 100") + """
            cairn.identify("hal@school.example");
            for (let i = 0; i < 10; i++) cairn.track("levelComplete", { level: i });
            const outcome = await cairn.flush();
            return { guid: cairn.clientGuid, outcome, calls: calls.filter(c => c.url.endsWith("/v1/events")) };
            """);

        var calls = result.GetProperty("calls").EnumerateArray().Select(c => (At: c.GetProperty("at").GetDouble(), Status: c.GetProperty("status").GetInt32())).ToList();
        var guid = result.GetProperty("guid").GetString()!;
        Assert.Equal(413, calls[0].Status);
        Assert.Contains(calls, c => c.Status == 429);
        // After a 429 (Retry-After: 1) the next try waits at least that second, though maxDelayMs is 100 ms.
        for (var i = 0; i + 1 < calls.Count; i++)
        {
            if (calls[i].Status == 429)
            {
                Assert.True(calls[i + 1].At - calls[i].At >= 950, $"retried {calls[i + 1].At - calls[i].At} ms after a 429");
            }
        }
        Assert.Equal(10, result.GetProperty("outcome").GetProperty("accepted").GetInt32());
        Assert.Equal(10, Stored(server, guid));
        Assert.Equal(10, StoredDistinct(server, guid));
    }
    [SkippableFact]
    public async Task Issue_16_the_websocket_transport_reconnects_after_the_server_went_away_and_sends_what_was_queued()
    {
        await using var page = await SdkPage.StartAsync();
        await using var server = await StartServerAsync(page);
        var guid = page.Run(Create(server, "transport: 'websocket', sampling: false") + """
            cairn.identify("ivy@school.example");
            for (let i = 0; i < 3; i++) cairn.track("levelComplete", { level: i });
            const first = await cairn.flush();
            if (first.accepted !== 3) throw new Error("first flush: " + JSON.stringify(first));
            return cairn.clientGuid;
            """).GetString()!;
        await server.StopKeepingPortAsync();

        var offline = page.Run("""
            for (let i = 3; i < 8; i++) cairn.track("levelComplete", { level: i });
            const outcome = await cairn.flush();
            return { delivered: outcome.delivered, queued: cairn.queued };
            """);
        await server.StartAgainAsync();
        await WaitStoredAsync(server, guid, 8);
        await page.WaitForAsync("cairn.queued === 0", "the queue to empty");

        Assert.False(offline.GetProperty("delivered").GetBoolean());
        Assert.Equal(5, offline.GetProperty("queued").GetInt32());
        Assert.Equal(8, Stored(server, guid));
        Assert.Equal(8, StoredDistinct(server, guid));
    }
}
