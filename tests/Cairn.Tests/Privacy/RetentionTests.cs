using System.Globalization;
using System.Text.Json.Nodes;
using Cairn.Hosting;
using Cairn.Privacy;
using Cairn.Storage;
using Cairn.Tests.Support;

namespace Cairn.Tests.Privacy;

/// <summary>
/// Events of every privacy level on both sides of their retention boundary (one second before, exactly on, one second after),
/// and an org whose standard retention is overridden to 30 days.
/// </summary>
public sealed class RetentionTests : IAsyncLifetime
{
    private const string ShortOrg = "org-short";
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly (string Level, int Days)[] Defaults = [("standard", 2555), ("sensitive", 1095), ("pii", 365), ("system", 365)];

    private TestServer _server = null!;

    public async Task InitializeAsync()
    {
        // No scheduled purge: only the purges of the tests, at their chosen "now".
        _server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Retention:PeriodHours"] = "0" });
        var events = new List<JsonObject>();
        foreach (var (level, days) in Defaults)
        {
            var cutoff = Now.AddDays(-days);
            events.Add(Event($"{level}-older", level, cutoff.AddSeconds(-1)));
            events.Add(Event($"{level}-edge", level, cutoff));
            events.Add(Event($"{level}-newer", level, cutoff.AddSeconds(1)));
        }
        events.Add(Event("standard-month", "standard", Now.AddDays(-31)));
        using (await _server.IngestAsync(Events.Array([.. events])))
        {
        }
        var shortKey = await _server.CreateIngestKeyAsync(ShortOrg, TestServer.Game);
        var shortEvents = Events.Array(
            Event("short-standard-older", "standard", Now.AddDays(-30).AddSeconds(-1)),
            Event("short-standard-newer", "standard", Now.AddDays(-30).AddSeconds(1)),
            Event("short-sensitive-older", "sensitive", Now.AddDays(-1095).AddSeconds(-1)),
            Event("short-sensitive-newer", "sensitive", Now.AddDays(-100)));
        using var response = await _server.PostEventsAsync(shortEvents, shortKey);
        Assert.Contains("\"accepted\":4", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await _server.StopAsync();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static JsonObject Event(string id, string level, DateTimeOffset at)
    {
        var e = Events.Canonical(id, "keeper@school.example", at);
        e["privacyLevel"] = level;
        return e;
    }

    private static readonly string[] Deleted =
        ["standard-older", "sensitive-older", "pii-older", "system-older", "short-standard-older", "short-sensitive-older"];

    private List<string> Remaining() => Database.Column(_server.DatabasePath, "SELECT event_id FROM events ORDER BY event_id;");

    private void AssertOnlyTheOlderOnesAreGone(IReadOnlyList<string> before)
    {
        Assert.Equal(17, before.Count);
        Assert.Equal(before.Except(Deleted).Order(StringComparer.Ordinal), Remaining().Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Purge_deletes_exactly_the_events_older_than_their_levels_retention_with_org_overrides()
    {
        var before = Remaining();
        var options = new RetentionOptions();
        options.Orgs[ShortOrg] = new Dictionary<string, int>(StringComparer.Ordinal) { ["standard"] = 30 };
        await using var store = await CairnConfiguration.OpenStoreAsync(new StorageOptions { DataDirectory = _server.DataDirectory }, CancellationToken.None);

        var results = await Retention.PurgeAsync(store.Privacy, options, Now, CancellationToken.None);

        Assert.Equal(Deleted.Length, results.Sum(r => r.Deleted));
        AssertOnlyTheOlderOnesAreGone(before);
    }

    [Fact]
    public async Task Purge_command_with_now_applies_the_same_rules()
    {
        var before = Remaining();

        var result = await CairnCli.RunAsync(_server.Root.Path, new Dictionary<string, string> { [$"CAIRN_Retention__Orgs__{ShortOrg}__standard"] = "30" },
            "purge", "--data", _server.DataDirectory, "--now", Now.ToString("O", CultureInfo.InvariantCulture));

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains($"purged {Deleted.Length} events", result.Output, StringComparison.Ordinal);
        AssertOnlyTheOlderOnesAreGone(before);
    }
}
