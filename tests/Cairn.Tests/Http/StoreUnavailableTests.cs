using System.Net;
using Cairn.Tests.Support;

namespace Cairn.Tests.Http;

public sealed class StoreUnavailableTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task PostEvents_answers_503_with_retry_after_when_the_store_refuses_writes_and_recovers_after()
    {
        // The tests run as root, so file permissions cannot make the file unwritable; instead the real SQLite
        // file is made to fail every insert (as a full or broken disk would), and the real writer meets that failure.
        Database.Execute(_server.DatabasePath,
            "CREATE TRIGGER store_down BEFORE INSERT ON events BEGIN SELECT RAISE(ABORT, 'simulated store failure'); END;");
        var e = Events.Canonical(Events.NewId());

        using var down = await _server.PostEventsAsync(Events.Array(e));

        var text = await down.Content.ReadAsStringAsync();
        Assert.True(down.StatusCode == HttpStatusCode.ServiceUnavailable, $"expected 503, got {(int)down.StatusCode}: {text}");
        Assert.True(down.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After must be a positive number of seconds");
        Assert.Equal("application/problem+json", down.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, Database.Scalar(_server.DatabasePath, "SELECT COUNT(*) FROM events;"));

        Database.Execute(_server.DatabasePath, "DROP TRIGGER store_down;");
        using var retried = await _server.IngestAsync(Events.Array(e));

        Assert.Equal("accepted", retried.RootElement.GetProperty("results")[0].GetProperty("status").GetString());
        Assert.Equal(1, Database.Scalar(_server.DatabasePath, $"SELECT COUNT(*) FROM events WHERE event_id = '{e["eventId"]}';"));
    }

    [Fact]
    public async Task Failed_commit_stores_nothing_of_the_batch_not_even_its_rejected_events()
    {
        Database.Execute(_server.DatabasePath,
            "CREATE TRIGGER store_down BEFORE INSERT ON events BEGIN SELECT RAISE(ABORT, 'simulated store failure'); END;");
        var bad = Events.Canonical(Events.NewId());
        bad.Remove("eventType");

        using var down = await _server.PostEventsAsync(Events.Array(Events.Canonical(Events.NewId(), "atomic.player@example.com"), bad));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
        Assert.Equal(0, Database.Scalar(_server.DatabasePath, "SELECT COUNT(*) FROM rejected_events;"));
        Assert.Equal(0, Database.Scalar(_server.DatabasePath, "SELECT COUNT(*) FROM players;"));
    }
}
