using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cairn.Ingest;
using Cairn.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Tests.Http;

/// <summary>
/// The ingest budget (Ingest:MaxBytesInFlight, Ingest:MaxEventsInFlight): a request past it is answered 503 + Retry-After before its body is
/// buffered, an admitted one is processed to the end, and every acknowledged event is stored. A small bound makes
/// one batch of the tests fill it; one request whose body is held half-sent keeps its share reserved meanwhile.
/// </summary>
public abstract class IngestBudgetTests : IAsyncLifetime
{
    private const int EventsPerBatch = 150;

    // One batch of 150 events is about 28 KiB: one fits, two do not.
    private static readonly Dictionary<string, string?> SmallBudget = new()
    {
        ["Ingest:MaxBytesInFlight"] = (48 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private TestServer _server = null!;

    private protected abstract Task<TestServer> StartServerAsync(IReadOnlyDictionary<string, string?> overrides);

    public async Task InitializeAsync() => _server = await StartServerAsync(SmallBudget);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private IngestBudget Budget => _server.Services.GetRequiredService<IngestBudget>();

    private static JsonObject[] NewBatch() => [.. Enumerable.Range(0, EventsPerBatch).Select(_ => Events.Canonical(Events.NewId()))];

    private static string[] Ids(JsonObject[] batch) => [.. batch.Select(e => e["eventId"]!.GetValue<string>())];

    private long Stored(IEnumerable<string> ids) =>
        _server.Sql.Scalar($"SELECT COUNT(*) FROM events WHERE event_id IN ({string.Join(',', ids.Select(id => $"'{id}'"))});");

    /// <summary>Starts a post whose body stops half-way until <paramref name="release"/>; returns once the server holds its share.</summary>
    private async Task<Task<HttpResponseMessage>> StartHeldPostAsync(JsonObject[] batch, Task release)
    {
        var held = _server.PostEventsAsync(new HeldContent(Encoding.UTF8.GetBytes(Events.Array(batch)), release));
        for (var i = 0; i < 400 && Budget.InFlight.Bytes == 0; i++)
        {
            await Task.Delay(25);
        }
        Assert.True(Budget.InFlight.Bytes > 0, "the held request never reached the server");
        return held;
    }

    private static void AssertRefusedForLoad(HttpResponseMessage response, string body)
    {
        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"expected 503, got {(int)response.StatusCode}: {body}");
        Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After must be a positive number of seconds");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [SkippableFact]
    public async Task Issue_7_a_request_past_the_byte_budget_is_refused_with_503_and_retry_after_and_an_admitted_one_is_fully_processed()
    {
        var release = new TaskCompletionSource();
        var admitted = NewBatch();
        var refused = NewBatch();
        var inflating = NewBatch().Concat(NewBatch()).Concat(NewBatch()).ToArray();
        var held = await StartHeldPostAsync(admitted, release.Task);

        using var plain = await _server.PostEventsAsync(Events.Array(refused));
        var plainBody = await plain.Content.ReadAsStringAsync();
        // gzip: the size shows only while it inflates, so the budget is reserved as the buffer grows.
        using var gzip = await _server.PostEventsAsync(Gzip(Events.Array(inflating)));
        var gzipBody = await gzip.Content.ReadAsStringAsync();
        release.SetResult();
        using var done = await held;

        AssertRefusedForLoad(plain, plainBody);
        AssertRefusedForLoad(gzip, gzipBody);
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        using (var answer = await TestServer.ReadJsonAsync(done))
        {
            Assert.Equal(EventsPerBatch, answer.RootElement.GetProperty("accepted").GetInt32());
        }
        Assert.Equal(EventsPerBatch, Stored(Ids(admitted)));
        Assert.Equal(0, Stored(Ids(refused).Concat(Ids(inflating))));
        using var retried = await _server.IngestAsync(Events.Array(refused));
        Assert.Equal(EventsPerBatch, retried.RootElement.GetProperty("accepted").GetInt32());
        await AssertBudgetReleasedAsync();
    }

    [SkippableFact]
    public async Task Metrics_show_what_the_budget_holds_and_count_the_503_it_answers()
    {
        var release = new TaskCompletionSource();
        var before = await Observability.Scrape.TakeAsync(_server);
        var held = await StartHeldPostAsync(NewBatch(), release.Task);

        var holding = await Observability.Scrape.TakeAsync(_server);
        using (var refused = await _server.PostEventsAsync(Events.Array(NewBatch())))
        {
            AssertRefusedForLoad(refused, await refused.Content.ReadAsStringAsync());
        }
        release.SetResult();
        (await held).Dispose();
        await AssertBudgetReleasedAsync();
        var after = await Observability.Scrape.TakeAsync(_server);

        Assert.Equal(1, holding.Value("cairn_ingest_requests_in_flight"));
        Assert.True(holding.Value("cairn_ingest_bytes_in_flight") > 0, holding.Text);
        Assert.Equal(0, after.Value("cairn_ingest_requests_in_flight"));
        Assert.Equal(0, after.Value("cairn_ingest_bytes_in_flight"));
        Assert.Equal(0, after.Value("cairn_ingest_events_in_flight"));
        Assert.Equal(1, after.Value("cairn_http_refusals", "code=\"503\"", "route=\"/v1/events/\"") - before.Value("cairn_http_refusals", "code=\"503\""));
        Assert.Equal(1, after.Value("cairn_ingest_refused", "reason=\"bytes\"") - before.Value("cairn_ingest_refused", "reason=\"bytes\""));
    }

    [SkippableFact]
    public async Task Issue_7_concurrent_large_batches_past_the_byte_budget_get_some_503_and_every_acknowledged_event_is_stored()
    {
        var release = new TaskCompletionSource();
        var first = NewBatch();
        var batches = Enumerable.Range(0, 16).Select(_ => NewBatch()).ToArray();
        var held = await StartHeldPostAsync(first, release.Task);

        // The held request keeps its share until the first refusal came back; then it finishes, and later posts may get in.
        var posts = batches.Select(async batch =>
        {
            using var response = await _server.PostEventsAsync(Events.Array(batch));
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                release.TrySetResult();
            }
            return (Batch: batch, Response: response.StatusCode, RetryAfter: response.Headers.RetryAfter?.Delta, Body: body);
        }).ToArray();
        var answers = await Task.WhenAll(posts);
        release.TrySetResult();
        using var firstDone = await held;

        Assert.Equal(HttpStatusCode.OK, firstDone.StatusCode);
        Assert.All(answers, a => Assert.True(a.Response is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable, $"{(int)a.Response}: {a.Body}"));
        Assert.Contains(answers, a => a.Response == HttpStatusCode.ServiceUnavailable);
        Assert.All(answers.Where(a => a.Response == HttpStatusCode.ServiceUnavailable), a => Assert.True(a.RetryAfter > TimeSpan.Zero));
        foreach (var (batch, status, _, body) in answers)
        {
            var ids = Ids(batch);
            if (status == HttpStatusCode.OK)
            {
                using var answer = JsonDocument.Parse(body);
                Assert.Equal(EventsPerBatch, answer.RootElement.GetProperty("accepted").GetInt32());
                Assert.Equal(EventsPerBatch, Stored(ids));
            }
            else
            {
                // Nothing of a refused batch is stored; its retry is.
                Assert.Equal(0, Stored(ids));
                using var retried = await _server.IngestAsync(Events.Array(batch));
                Assert.Equal(EventsPerBatch, Stored(ids));
            }
        }
        Assert.Equal(EventsPerBatch * (batches.Length + 1), Stored(batches.Append(first).SelectMany(Ids)));
        await AssertBudgetReleasedAsync();
    }

    [SkippableFact]
    public async Task Issue_7_a_batch_past_the_event_budget_is_refused_with_503_while_an_admitted_one_waits_for_the_writer()
    {
        await _server.RestartAsync(new Dictionary<string, string?>
        {
            ["Ingest:MaxBytesInFlight"] = (8 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Ingest:MaxEventsInFlight"] = "200",
        });
        var admitted = NewBatch();
        var refused = NewBatch();
        Task<HttpResponseMessage> waiting;
        HttpResponseMessage answer;
        string answerBody;
        using (_server.Sql.HoldWrites())
        {
            waiting = _server.PostEventsAsync(Events.Array(admitted));
            for (var i = 0; i < 400 && Budget.InFlight.Events == 0; i++)
            {
                await Task.Delay(25);
            }
            Assert.Equal(EventsPerBatch, Budget.InFlight.Events);
            answer = await _server.PostEventsAsync(Events.Array(refused));
            answerBody = await answer.Content.ReadAsStringAsync();
        }
        using var done = await waiting;

        AssertRefusedForLoad(answer, answerBody);
        answer.Dispose();
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Equal(EventsPerBatch, Stored(Ids(admitted)));
        Assert.Equal(0, Stored(Ids(refused)));
        using var retried = await _server.IngestAsync(Events.Array(refused));
        Assert.Equal(EventsPerBatch, Stored(Ids(refused)));
        await AssertBudgetReleasedAsync();
    }

    /// <summary>Every request gave its share back (at the end of the request, just after its answer was sent).</summary>
    private async Task AssertBudgetReleasedAsync()
    {
        for (var i = 0; i < 200 && Budget.InFlight != (0, 0, 0); i++)
        {
            await Task.Delay(10);
        }
        Assert.Equal((0L, 0L, 0L), Budget.InFlight);
    }

    private static ByteArrayContent Gzip(string json)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(json));
        }
        var content = new ByteArrayContent(buffer.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        content.Headers.ContentEncoding.Add("gzip");
        return content;
    }

    /// <summary>A JSON body of known length that sends its first half, then waits for <paramref name="release"/> to send the rest.</summary>
    private sealed class HeldContent : HttpContent
    {
        private readonly byte[] _body;
        private readonly Task _release;

        public HeldContent(byte[] body, Task release)
        {
            _body = body;
            _release = release;
            Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(_body.AsMemory(0, _body.Length / 2));
            await stream.FlushAsync();
            await _release;
            await stream.WriteAsync(_body.AsMemory(_body.Length / 2));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = _body.Length;
            return true;
        }
    }
}
