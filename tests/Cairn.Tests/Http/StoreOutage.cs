using System.Net;
using System.Text.Json;
using Cairn.Tests.Support;

namespace Cairn.Tests.Http;

/// <summary>What clients see while a store is down: each answer, and the ids of the events a 200 acknowledged.</summary>
internal sealed class StoreOutage(TestServer server)
{
    private readonly List<(string Request, HttpStatusCode Status, TimeSpan? RetryAfter, string? ContentType, string Body)> _answers = [];
    private readonly List<string> _acknowledged = [];

    public IReadOnlyList<string> Acknowledged
    {
        get
        {
            lock (_answers)
            {
                return [.. _acknowledged];
            }
        }
    }

    public int Count(string requestPrefix, HttpStatusCode status)
    {
        lock (_answers)
        {
            return _answers.Count(a => a.Request.StartsWith(requestPrefix, StringComparison.Ordinal) && a.Status == status);
        }
    }

    /// <summary>Posts a batch of new events; records the answer.</summary>
    public async Task<HttpStatusCode> PostBatchAsync(int events = 5)
    {
        var batch = Enumerable.Range(0, events).Select(_ => Events.Canonical(Events.NewId())).ToArray();
        using var response = await server.PostEventsAsync(Events.Array(batch));
        var body = await response.Content.ReadAsStringAsync();
        Record("POST /v1/events", response, body);
        if (response.StatusCode == HttpStatusCode.OK)
        {
            using var json = JsonDocument.Parse(body);
            lock (_answers)
            {
                _acknowledged.AddRange(json.RootElement.GetProperty("results").EnumerateArray()
                    .Where(r => r.GetProperty("status").GetString() is "accepted" or "duplicate")
                    .Select(r => r.GetProperty("eventId").GetString()!));
            }
        }
        return response.StatusCode;
    }

    /// <summary>A read (GET as admin) or a write (POST as admin) that needs the store; records the answer.</summary>
    public async Task<HttpStatusCode> SendAsync(HttpMethod method, string path, string? json = null)
    {
        using var response = await server.SendAsync(method, path, TestServer.AdminToken, json);
        Record($"{method} {path}", response, await response.Content.ReadAsStringAsync());
        return response.StatusCode;
    }

    private void Record(string request, HttpResponseMessage response, string body)
    {
        lock (_answers)
        {
            _answers.Add((request, response.StatusCode, response.Headers.RetryAfter?.Delta, response.Content.Headers.ContentType?.MediaType, body));
        }
    }

    /// <summary>Every answer was a success or a 503 problem with a positive Retry-After: never a 500 or another error.</summary>
    public void AssertOnlySuccessOr503()
    {
        lock (_answers)
        {
            foreach (var (request, status, retryAfter, contentType, body) in _answers)
            {
                if ((int)status < 300)
                {
                    continue;
                }
                Assert.True(status == HttpStatusCode.ServiceUnavailable, $"{request} answered {(int)status}, not 503: {body}");
                Assert.True(retryAfter > TimeSpan.Zero, $"{request} answered 503 without a positive Retry-After: {body}");
                Assert.Equal("application/problem+json", contentType);
            }
        }
    }
}
