using System.Globalization;
using System.Net;
using System.Text.Json;
using Cairn.Tests.Support;

namespace Cairn.Tests.Http;

/// <summary>A player's timeline over HTTP: order, paging and time filters; a subclass per store says how to start the server.</summary>
public abstract class TimelineTests : IAsyncLifetime
{
    private const string Player = "timeline.player@example.com";

    private List<(string Id, DateTimeOffset At)> _sent = null!;

    /// <summary>A new server on an empty store of the subclass's kind.</summary>
    private protected abstract Task<TestServer> StartServerAsync(
        IReadOnlyDictionary<string, string?>? overrides = null, IReadOnlyDictionary<string, string>? catalogs = null);

    private protected TestServer Server { get; private set; } = null!;

    /// <summary>The key of the player whose events <see cref="InitializeAsync"/> sent.</summary>
    private protected string PlayerKey { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await StartServerAsync();
        // Out of order, with two events at the same instant, plus another player's event.
        var offsets = new[] { 5, 1, 9, 3, 3, 7, 0, 8, 2 };
        _sent = [.. offsets.Select(o => (Events.NewId(), Events.BaseTime.AddMinutes(o)))];
        var events = _sent.Select(s => Events.Canonical(s.Id, Player, s.At)).Append(Events.Canonical(Events.NewId(), "someone.else@example.com")).ToArray();
        using (await Server.IngestAsync(Events.Array(events)))
        {
        }
        PlayerKey = await Server.PlayerKeyAsync(Player);
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();

    private static string Time(DateTimeOffset t) => Uri.EscapeDataString(t.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));

    private async Task<(List<(string Id, DateTimeOffset At)> Events, string? Next)> PageAsync(string query)
    {
        using var response = await Server.GetAsAdminAsync($"/v1/players/{PlayerKey}/events?{query}");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        using var body = JsonDocument.Parse(text);
        Assert.Equal(PlayerKey, body.RootElement.GetProperty("playerKey").GetString());
        var events = body.RootElement.GetProperty("events").EnumerateArray()
            .Select(e => (e.GetProperty("eventId").GetString()!, e.GetProperty("timestamp").GetDateTimeOffset())).ToList();
        return (events, body.RootElement.TryGetProperty("nextCursor", out var next) ? next.GetString() : null);
    }

    [SkippableFact]
    public async Task Timeline_returns_the_player_events_newest_first()
    {
        var (events, next) = await PageAsync("");

        Assert.Null(next);
        Assert.Equal(_sent.Count, events.Count);
        Assert.Equal(_sent.Select(s => s.Id).Order(StringComparer.Ordinal), events.Select(e => e.Id).Order(StringComparer.Ordinal));
        Assert.Equal(events.Select(e => e.At).OrderDescending(), events.Select(e => e.At));
    }

    [SkippableFact]
    public async Task Timeline_pages_with_a_cursor_without_gaps_or_repeats()
    {
        var (all, _) = await PageAsync("");
        var paged = new List<(string Id, DateTimeOffset At)>();
        string? cursor = null;
        var pages = 0;

        do
        {
            var (events, next) = await PageAsync("limit=2" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
            Assert.InRange(events.Count, 1, 2);
            paged.AddRange(events);
            cursor = next;
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(all, paged);
        Assert.Equal((all.Count + 1) / 2, pages);
    }

    [SkippableFact]
    public async Task Timeline_filters_since_inclusive_and_until_exclusive()
    {
        var since = Events.BaseTime.AddMinutes(2);
        var until = Events.BaseTime.AddMinutes(8);

        var (events, _) = await PageAsync($"since={Time(since)}&until={Time(until)}");

        var expected = _sent.Where(s => s.At >= since && s.At < until).Select(s => s.Id).Order(StringComparer.Ordinal);
        Assert.NotEmpty(events);
        Assert.Equal(expected, events.Select(e => e.Id).Order(StringComparer.Ordinal));
    }

    [SkippableFact]
    public async Task Timeline_of_an_unknown_player_is_empty()
    {
        using var response = await Server.GetAsAdminAsync("/v1/players/p1_00000000000000000000000000000000/events");

        using var body = await TestServer.ReadJsonAsync(response);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(body.RootElement.GetProperty("events").EnumerateArray());
    }
}
