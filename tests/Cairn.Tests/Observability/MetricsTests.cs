using System.Net;
using System.Net.Http.Headers;
using Cairn.Tests.Support;

namespace Cairn.Tests.Observability;

/// <summary><c>GET /metrics</c> on a real server: who may scrape, and that each metric moves when its event happens.</summary>
public sealed class MetricsTests : IAsyncLifetime
{
    private const string MetricsToken = "cmt_test_metrics_token_0123456789";
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(new Dictionary<string, string?>
    {
        ["Access:MetricsToken"] = MetricsToken,
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<HttpStatusCode> ScrapeStatusAsync(string? token, string path = "/metrics")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        using var response = await _server.Http.SendAsync(request);
        return response.StatusCode;
    }

    [Fact]
    public async Task Metrics_needs_the_admin_token_or_the_metrics_token_which_opens_nothing_else()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, await ScrapeStatusAsync(null));
        Assert.Equal(HttpStatusCode.Unauthorized, await ScrapeStatusAsync("cmt_wrong"));
        Assert.Equal(HttpStatusCode.Forbidden, await ScrapeStatusAsync(_server.IngestKey));
        Assert.Equal(HttpStatusCode.OK, await ScrapeStatusAsync(MetricsToken));
        Assert.Equal(HttpStatusCode.OK, await ScrapeStatusAsync(TestServer.AdminToken));
        Assert.Equal(HttpStatusCode.Unauthorized, await ScrapeStatusAsync(MetricsToken, "/v1/admin/jobs"));
        Assert.Equal(HttpStatusCode.Unauthorized, await ScrapeStatusAsync(MetricsToken, "/v1/admin/stats"));
    }

    [Fact]
    public async Task Metrics_without_a_metrics_token_answers_the_admin_token_only()
    {
        await using var server = await TestServer.StartAsync();

        using var anonymous = await server.Http.GetAsync("/metrics");
        var scrape = await Scrape.TakeAsync(server);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Contains("cairn_http_request_duration_seconds", scrape.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_answers_the_prometheus_text_format_0_0_4()
    {
        using var response = await _server.GetAsAdminAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
    }

    [Fact]
    public async Task A_server_with_otlp_export_configured_starts_and_still_serves_metrics()
    {
        // Nothing listens on port 9 of loopback: the pushes fail quietly, the server goes on.
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?>
        {
            ["Metrics:OtlpEndpoint"] = "http://127.0.0.1:9",
            ["Metrics:OtlpProtocol"] = "http/protobuf",
            ["Metrics:OtlpIntervalSeconds"] = "1",
        });

        (await server.IngestAsync(Events.Array(Events.Canonical(Events.NewId())))).Dispose();
        var scrape = await Scrape.TakeAsync(server);

        Assert.True(scrape.Value("cairn_ingest_events_accepted") >= 1, scrape.Text);
    }

    [Fact]
    public async Task A_bad_otlp_setting_stops_the_start_with_a_clear_message()
    {
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => TestServer.StartAsync(new Dictionary<string, string?>
        {
            ["Metrics:OtlpEndpoint"] = "http://127.0.0.1:9",
            ["Metrics:OtlpProtocol"] = "carrier-pigeon",
        }));

        Assert.Contains("Metrics:OtlpProtocol", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ingest_counters_move_per_outcome_and_dropped_matches_the_admin_figure()
    {
        const string optedOut = "opted.out@school.example";
        using (var consent = await _server.SendAsync(HttpMethod.Put, "/v1/players/consent", TestServer.AdminToken,
            System.Text.Json.JsonSerializer.Serialize(new { org = TestServer.Org, playerId = optedOut, consent = "opted-out" })))
        {
            Assert.Equal(HttpStatusCode.OK, consent.StatusCode);
        }
        var first = Events.Canonical(Events.NewId(), "ada@school.example");
        var invalid = Events.Canonical(Events.NewId(), "ada@school.example");
        invalid["timestamp"] = "yesterday";
        var dropped = Events.Canonical(Events.NewId(), optedOut);
        var before = await Scrape.TakeAsync(_server);
        const string where = "org=\"org-test\"";

        (await _server.IngestAsync(Events.Array(first, invalid, dropped))).Dispose();
        (await _server.IngestAsync(Events.Array(first))).Dispose();
        var after = await Scrape.TakeAsync(_server);

        double Moved(string name, params string[] labels) => after.Value(name, labels) - before.Value(name, labels);
        Assert.Equal(4, Moved("cairn_ingest_events_received", where));
        Assert.Equal(1, Moved("cairn_ingest_events_accepted", where));
        Assert.Equal(1, Moved("cairn_ingest_events_duplicate", where));
        Assert.Equal(1, Moved("cairn_ingest_events_rejected", where, "reason=\"format\""));
        Assert.Equal(1, Moved("cairn_ingest_events_dropped", where, "reason=\"opted_out\""));
        using var stats = await TestServer.ReadJsonAsync(await _server.GetAsAdminAsync("/v1/admin/stats"));
        Assert.Equal(after.Value("cairn_ingest_events_dropped", where), stats.RootElement.GetProperty("optedOutEventsByOrg").GetProperty(TestServer.Org).GetDouble());
        Assert.Equal(2, Moved("cairn_write_commit_events_count"));
        Assert.True(Moved("cairn_write_commit_events_sum") >= 3);
        Assert.True(Moved("cairn_write_commit_bytes_sum") > 200);
        Assert.Equal(2, Moved("cairn_write_commit_duration_seconds_count"));
        Assert.Equal(2, Moved("cairn_http_request_duration_seconds_count", "route=\"/v1/events/\"", "code=\"200\""));
    }

    [Fact]
    public async Task Labels_carry_no_player_identity_no_player_key_and_no_event_id()
    {
        const string player = "secret.player@school.example";
        var id = Events.NewId();
        var invalid = Events.Canonical(Events.NewId(), player);
        invalid["timestamp"] = "yesterday";
        (await _server.IngestAsync(Events.Array(Events.Canonical(id, player), invalid))).Dispose();
        var key = await _server.PlayerKeyAsync(player);
        (await _server.GetAsAdminAsync($"/v1/players/{key}/events?org={TestServer.Org}")).Dispose();

        var scrape = await Scrape.TakeAsync(_server);

        Assert.DoesNotContain(player, scrape.Text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secret.player", scrape.Text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(key, scrape.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(id, scrape.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(TestServer.AdminToken, scrape.Text, StringComparison.Ordinal);
        Assert.True(scrape.Value("cairn_http_request_duration_seconds_count", "route=\"/v1/players/{playerKey}/events\"") >= 1, scrape.Text);
    }

    [Fact]
    public async Task Refusals_429_are_counted_by_route_and_by_ingest_reason()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?>
        {
            ["Ingest:RateLimitPerSecond"] = "1",
            ["Ingest:RateLimitBurst"] = "1",
        });
        var before = await Scrape.TakeAsync(server);

        var codes = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await server.PostEventsAsync(Events.Array(Events.Canonical(Events.NewId())));
            codes.Add(response.StatusCode);
        }
        var after = await Scrape.TakeAsync(server);

        var refused = codes.Count(c => c == HttpStatusCode.TooManyRequests);
        Assert.True(refused > 0, string.Join(",", codes));
        Assert.Equal(refused, after.Value("cairn_http_refusals", "code=\"429\"", "route=\"/v1/events/\"") - before.Value("cairn_http_refusals", "code=\"429\""));
        Assert.Equal(refused, after.Value("cairn_ingest_refused", "reason=\"rate_limit\"") - before.Value("cairn_ingest_refused", "reason=\"rate_limit\""));
    }

    [Fact]
    public async Task Catalog_reloads_are_counted_ok_or_refused()
    {
        var before = await Scrape.TakeAsync(_server);
        await File.WriteAllTextAsync(Path.Combine(_server.CatalogsDirectory, "bad.yaml"), "game: [not, a, game");

        using (var refused = await _server.SendAsync(HttpMethod.Post, "/v1/admin/catalogs/reload", TestServer.AdminToken, null))
        {
            Assert.True(refused.IsSuccessStatusCode || refused.StatusCode == HttpStatusCode.UnprocessableEntity, refused.StatusCode.ToString());
        }
        File.Delete(Path.Combine(_server.CatalogsDirectory, "bad.yaml"));
        using (var ok = await _server.SendAsync(HttpMethod.Post, "/v1/admin/catalogs/reload", TestServer.AdminToken, null))
        {
            Assert.True(ok.IsSuccessStatusCode, ok.StatusCode.ToString());
        }
        var after = await Scrape.TakeAsync(_server);

        Assert.Equal(1, after.Value("cairn_catalog_reloads", "outcome=\"refused\"") - before.Value("cairn_catalog_reloads", "outcome=\"refused\""));
        Assert.True(after.Value("cairn_catalog_reloads", "outcome=\"ok\"") - before.Value("cairn_catalog_reloads", "outcome=\"ok\"") >= 1);
    }

    [Fact]
    public async Task Write_queue_gauges_show_the_requests_waiting_for_a_busy_writer()
    {
        using var blocker = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_server.DatabasePath};Pooling=False");
        blocker.Open();
        using (var begin = blocker.CreateCommand())
        {
            begin.CommandText = "BEGIN IMMEDIATE;";
            begin.ExecuteNonQuery();
        }
        var budget = (Cairn.Ingest.IngestBudget)_server.Services.GetService(typeof(Cairn.Ingest.IngestBudget))!;
        var first = _server.PostEventsAsync(Events.Array(Events.Canonical(Events.NewId())));
        for (var i = 0; i < 200 && budget.InFlight.Events == 0; i++)
        {
            await Task.Delay(25);
        }
        // The first request is counted; give it the moment it takes to reach the writer, so the second one queues behind it.
        await Task.Delay(200);
        var second = _server.PostEventsAsync(Events.Array(Events.Canonical(Events.NewId()), Events.Canonical(Events.NewId())));
        var waiting = await Scrape.TakeAsync(_server);
        for (var i = 0; i < 200 && waiting.Value("cairn_write_queue_depth") == 0; i++)
        {
            await Task.Delay(25);
            waiting = await Scrape.TakeAsync(_server);
        }

        using (var rollback = blocker.CreateCommand())
        {
            rollback.CommandText = "ROLLBACK;";
            rollback.ExecuteNonQuery();
        }
        using (var a = await first)
        using (var b = await second)
        {
            Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (a.StatusCode, b.StatusCode));
        }
        var drained = await Scrape.TakeAsync(_server);

        Assert.Equal(1, waiting.Value("cairn_write_queue_depth"));
        Assert.Equal(3, waiting.Value("cairn_ingest_events_in_flight"));
        Assert.Equal(2, waiting.Value("cairn_ingest_requests_in_flight"));
        Assert.True(waiting.Value("cairn_write_queue_bytes") > 100, waiting.Text);
        Assert.Equal(0, drained.Value("cairn_write_queue_depth"));
        Assert.Equal(0, drained.Value("cairn_write_queue_bytes"));
        Assert.Equal(0, drained.Value("cairn_ingest_events_in_flight"));
    }

    [Fact]
    public async Task A_commit_the_store_refuses_is_counted_and_its_503_too()
    {
        var before = await Scrape.TakeAsync(_server);
        Database.Execute(_server.DatabasePath,
            "CREATE TRIGGER store_down BEFORE INSERT ON events BEGIN SELECT RAISE(ABORT, 'simulated store failure'); END;");

        using (var down = await _server.PostEventsAsync(Events.Array(Events.Canonical(Events.NewId()))))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
        }
        Database.Execute(_server.DatabasePath, "DROP TRIGGER store_down;");
        var after = await Scrape.TakeAsync(_server);

        Assert.Equal(1, after.Value("cairn_write_commit_failures") - before.Value("cairn_write_commit_failures"));
        Assert.Equal(1, after.Value("cairn_write_commit_duration_seconds_count", "outcome=\"failed\"") - before.Value("cairn_write_commit_duration_seconds_count", "outcome=\"failed\""));
        Assert.Equal(1, after.Value("cairn_ingest_refused", "reason=\"store\"") - before.Value("cairn_ingest_refused", "reason=\"store\""));
        Assert.Equal(1, after.Value("cairn_http_refusals", "code=\"503\"") - before.Value("cairn_http_refusals", "code=\"503\""));
    }

    [Fact]
    public async Task Background_failures_are_exported_per_component()
    {
        var health = (Cairn.Hosting.BackgroundHealth)_server.Services.GetService(typeof(Cairn.Hosting.BackgroundHealth))!;

        health.Failed("purge", new InvalidOperationException("boom"));
        var failing = await Scrape.TakeAsync(_server);
        health.Succeeded("purge");
        var recovered = await Scrape.TakeAsync(_server);

        Assert.True(failing.Value("cairn_background_failures", "component=\"purge\"") >= 1, failing.Text);
        Assert.Equal(1, failing.Value("cairn_background_failing", "component=\"purge\""));
        Assert.Equal(0, recovered.Value("cairn_background_failing", "component=\"purge\""));
    }
}
