using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cairn.Tests.Ingest.WebSockets;
using Cairn.Tests.Support;

namespace Cairn.Tests.Ingest.GeoIp;

/// <summary>The country of the client's address (Ingest:GeoIpDatabase) as context.country, the address dropped; a subclass per store.</summary>
public abstract class GeoIpIngestTests
{
    private protected abstract Task<TestServer> StartServerAsync(IReadOnlyDictionary<string, string?> overrides);

    private static Dictionary<string, string?> Settings(GeoIpTestData data, bool trustLoopback)
    {
        var settings = new Dictionary<string, string?> { ["Ingest:GeoIpDatabase"] = data.Database };
        if (trustLoopback)
        {
            settings["Http:TrustedProxies:0"] = "127.0.0.1";
            settings["Http:TrustedProxies:1"] = "::1";
        }
        return settings;
    }

    /// <summary>Sends one event (with a client-side <c>context.ip</c>) as if from <paramref name="forwardedFor"/> behind a proxy; its id.</summary>
    private static async Task<string> SendFromAsync(TestServer server, string forwardedFor)
    {
        var e = Events.Canonical(Events.NewId(), "geo.player@school.example");
        e["context"] = new JsonObject { ["ip"] = forwardedFor, ["locale"] = "en-GB" };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/events")
        {
            Content = new StringContent(Events.Array(e), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", server.IngestKey);
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        using var response = await server.Http.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return e["eventId"]!.GetValue<string>();
    }

    private static JsonObject StoredContext(TestServer server, string eventId) =>
        JsonNode.Parse(server.Sql.Column($"SELECT context FROM events WHERE event_id = '{eventId}';").Single())!.AsObject();

    [SkippableFact]
    public async Task Issue_14_the_country_of_the_forwarded_client_address_is_stored_and_the_address_is_not()
    {
        var data = GeoIpTestData.Require();
        await using var server = await StartServerAsync(Settings(data, trustLoopback: true));
        // One IPv4 and one IPv6 address of the test database, and one (TEST-NET-1) it has no country for.
        string[] addresses = ["81.2.69.142", "2001:218::1", "216.160.83.57", "192.0.2.1"];

        var stored = new List<(string Address, JsonObject Context)>();
        foreach (var address in addresses)
        {
            stored.Add((address, StoredContext(server, await SendFromAsync(server, address))));
        }

        Assert.Equal(addresses.Select(data.CountryOf), stored.Select(s => s.Context["country"]?.GetValue<string>()));
        Assert.NotNull(data.CountryOf("81.2.69.142"));
        Assert.Null(data.CountryOf("192.0.2.1"));
        Assert.All(stored, s => Assert.Equal("en-GB", s.Context["locale"]!.GetValue<string>()));
        Assert.All(stored, s => Assert.False(s.Context.ContainsKey("ip")));
        var cells = server.Sql.AllCells();
        Assert.All(addresses, a => Assert.DoesNotContain(cells, c => c.Text.Contains(a, StringComparison.Ordinal)));
    }

    [SkippableFact]
    public async Task Issue_14_a_forwarded_address_from_an_untrusted_peer_is_not_believed()
    {
        var data = GeoIpTestData.Require();
        await using var server = await StartServerAsync(Settings(data, trustLoopback: false));

        var context = StoredContext(server, await SendFromAsync(server, "81.2.69.142"));

        // The peer is the loopback address, which the database has no country for.
        Assert.False(context.ContainsKey("country"), context.ToJsonString());
    }

    [SkippableFact]
    public async Task Issue_14_over_the_websocket_the_connections_client_address_gives_the_country()
    {
        var data = GeoIpTestData.Require();
        await using var server = await StartServerAsync(Settings(data, trustLoopback: true));
        const string address = "89.160.20.113";
        await using var socket = await AnalyticsSocket.ConnectAsync(server.Http.BaseAddress!, server.IngestKey,
            new Dictionary<string, string> { ["X-Forwarded-For"] = address });
        await socket.ExpectAsync("ready");
        var e = Events.Canonical("unused", "geo.ws@school.example");
        e.Remove("eventId");

        await socket.SendAsync(new { type = "analytics", seq = 1, clientGuid = "geo-client", events = new[] { e } });
        await socket.ExpectAsync("ack");

        Assert.Equal(data.CountryOf(address), StoredContext(server, "geo-client:1.0")["country"]?.GetValue<string>());
        Assert.NotNull(data.CountryOf(address));
    }
}

public sealed class SqliteGeoIpIngestTests : GeoIpIngestTests
{
    private protected override Task<TestServer> StartServerAsync(IReadOnlyDictionary<string, string?> overrides) => TestServer.StartAsync(overrides);

    [Fact]
    public async Task Issue_14_a_geoip_database_that_does_not_open_stops_the_start_with_the_option_named()
    {
        using var root = new TempDirectory();
        var bogus = root.Combine("not-a-database.mmdb");
        File.WriteAllText(bogus, "not a MaxMind database");

        var error = await Assert.ThrowsAnyAsync<Exception>(() => TestServer.StartAsync(new Dictionary<string, string?> { ["Ingest:GeoIpDatabase"] = bogus }));

        Assert.Contains("Ingest:GeoIpDatabase", error.ToString(), StringComparison.Ordinal);
    }
}

public sealed class PostgresGeoIpIngestTests(PostgresServer postgres) : GeoIpIngestTests, IClassFixture<PostgresServer>
{
    private protected override Task<TestServer> StartServerAsync(IReadOnlyDictionary<string, string?> overrides) => TestServer.StartAsync(postgres, overrides);
}
