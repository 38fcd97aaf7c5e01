using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cairn.Tests.Support;

namespace Cairn.Tests.Http;

/// <summary>
/// Every JSONTestSuite parsing case (shared/data/json-test-suite) as a whole body and nested in every field of an
/// otherwise valid event: never a server error, and one hostile event never costs its batch. A subclass per store.
/// </summary>
public abstract class JsonTestSuiteTests : IAsyncLifetime
{
    private const string Placeholder = "__json_test_suite_case__";

    /// <summary>Where a case goes in an event: the field, and how the case's text becomes its value.</summary>
    private static readonly (string Field, Func<string, string> Value)[] Positions =
    [
        .. new[] { "eventId", "eventType", "timestamp", "game", "source", "playerId", "sessionId", "schemaVersion", "privacyLevel" }
            .Select(f => (f, (Func<string, string>)(c => c))),
        .. new[] { "data", "device", "context" }.SelectMany(f => new (string, Func<string, string>)[]
        {
            (f, c => c),
            (f, c => $$"""{"nested":{{c}}}"""),
        }),
        // The legacy shape: data and context sent as a string holding JSON, decoded by the server.
        .. new[] { "data", "context" }.Select(f => (f, (Func<string, string>)(c => JsonSerializer.Serialize(c)))),
    ];

    private TestServer _server = null!;

    private protected abstract Task<TestServer> StartServerAsync(IReadOnlyDictionary<string, string?> overrides);

    public async Task InitializeAsync() => _server = await StartServerAsync(new Dictionary<string, string?> { ["Ingest:RateLimitPerSecond"] = "0" });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static IReadOnlyList<(string Name, byte[] Bytes)> Cases() =>
        [.. Directory.GetFiles(SharedData.RequireJsonTestSuite(), "*.json").Order(StringComparer.Ordinal)
            .Select(f => (Path.GetFileName(f), File.ReadAllBytes(f)))];

    /// <summary>A case that a strict parser reads, and that fits inside an event, goes into one batch per position.</summary>
    private static bool Nestable(byte[] bytes)
    {
        if (!System.Text.Unicode.Utf8.IsValid(bytes))
        {
            return false;
        }
        try
        {
            using var _ = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 28 });
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string EventWith(string field, string value)
    {
        var e = Events.Canonical(Events.NewId());
        e[field] = Placeholder;
        return e.ToJsonString().Replace($"\"{Placeholder}\"", value, StringComparison.Ordinal);
    }

    private async Task<(HttpStatusCode Status, string Body)> PostAsync(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await _server.PostEventsAsync(content);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [SkippableFact]
    public async Task Issue_7_no_json_test_suite_case_gets_a_server_error_as_a_body_or_nested_in_an_event()
    {
        var cases = Cases();
        var failures = new List<string>();

        foreach (var (name, bytes) in cases)
        {
            var (status, body) = await PostAsync(bytes);
            if ((int)status >= 500 || (name.StartsWith("n_", StringComparison.Ordinal) && (int)status is < 400 or >= 500))
            {
                failures.Add($"body {name}: {(int)status} {body}");
            }
        }
        var nestable = cases.Where(c => Nestable(c.Bytes)).ToList();
        foreach (var (field, value) in Positions)
        {
            var sentinel = Events.Canonical(Events.NewId());
            var batch = "[" + string.Join(",", nestable.Select(c => EventWith(field, value(Encoding.UTF8.GetString(c.Bytes)))).Append(sentinel.ToJsonString())) + "]";
            var (status, body) = await PostAsync(Encoding.UTF8.GetBytes(batch));
            if (status != HttpStatusCode.OK)
            {
                failures.Add($"batch in {field} ({value("c")}): {(int)status} {body}");
                continue;
            }
            var results = JsonNode.Parse(body)!["results"]!.AsArray();
            if (results.Count != nestable.Count + 1 || results[^1]!["status"]!.GetValue<string>() != "accepted")
            {
                failures.Add($"batch in {field} ({value("c")}): the valid event of the batch was not accepted: {body}");
            }
            failures.AddRange(results.Take(nestable.Count).Select((r, i) => (r!, nestable[i].Name))
                .Where(x => x.Item1["status"]!.GetValue<string>() == "rejected" && x.Item1["errors"]!.AsArray().Any(e => string.IsNullOrWhiteSpace(e!["message"]!.GetValue<string>())))
                .Select(x => $"{x.Name} in {field}: rejected without a reason"));
        }
        foreach (var (name, bytes) in cases.Where(c => !Nestable(c.Bytes) && !c.Name.StartsWith("n_", StringComparison.Ordinal)))
        {
            foreach (var (field, value) in Positions)
            {
                // Not valid UTF-8 or too deep: the whole request is refused, one case at a time.
                var text = Encoding.UTF8.GetBytes(EventWith(field, value(Placeholder)));
                var at = text.AsSpan().IndexOf(Encoding.UTF8.GetBytes(Placeholder));
                byte[] request = at < 0 ? text : [.. text[..at], .. bytes, .. text[(at + Placeholder.Length)..]];
                var (status, body) = await PostAsync(request);
                if ((int)status >= 500)
                {
                    failures.Add($"{name} in {field}: {(int)status} {body}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(40)));
    }

    [SkippableFact]
    public async Task Issue_7_duplicate_keys_and_lone_surrogates_reject_their_event_and_the_batch_is_stored()
    {
        var good = Events.Canonical(Events.NewId());
        var duplicateTop = EventWith("source", "\"a\",\"source\":\"b\"");
        var duplicateData = EventWith("data", """{"a":1,"a":2}""");
        var duplicateDevice = EventWith("device", """{"os":"x","os":"y"}""");
        var loneSurrogate = EventWith("sessionId", "\"\\uDFAA\"");
        var loneKey = EventWith("context", """{"\uDFAA":0}""");
        var inverted = EventWith("data", """{"s":"\uDd1e\uD834"}""");
        var encoded = EventWith("data", JsonSerializer.Serialize("""{"a":1,"a":2}"""));
        var nul = EventWith("data", """{"s":"a\u0000b"}""");
        var huge = EventWith("data", """{"n":1e99999}""");

        using var body = await _server.IngestAsync($"[{good.ToJsonString()},{duplicateTop},{duplicateData},{duplicateDevice},{loneSurrogate},{loneKey},{inverted},{encoded},{nul},{huge}]");

        var results = body.RootElement.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal("accepted", results[0].GetProperty("status").GetString());
        var codes = results.Skip(1).Select(r => $"{r.GetProperty("status").GetString()} {r.GetProperty("errors")[0].GetProperty("path").GetString()}:{r.GetProperty("errors")[0].GetProperty("code").GetString()}");
        Assert.Equal(
            ["rejected source:duplicate_key", "rejected data.a:duplicate_key", "rejected device.os:duplicate_key", "rejected sessionId:invalid_string",
             "rejected context:invalid_string", "rejected data.s:invalid_string", "rejected data.a:duplicate_key", "rejected data.s:invalid_string",
             "rejected data.n:number_range"],
            codes);
        Assert.Equal(1, _server.Sql.Scalar($"SELECT COUNT(*) FROM events WHERE event_id = '{good["eventId"]}';"));
        Assert.Equal(9, _server.Sql.Scalar("SELECT COUNT(*) FROM rejected_events;"));
    }
}
