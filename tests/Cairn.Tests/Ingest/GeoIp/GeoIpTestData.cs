using System.Net;
using System.Text.Json;
using Cairn.Tests.Support;

namespace Cairn.Tests.Ingest.GeoIp;

/// <summary>
/// MaxMind's own test database under <c>shared/data/geoip</c> and the JSON it was built from: the expected country of an
/// address is read from the JSON (the network that contains it), never written by hand. A skip locally / a failure in CI when missing.
/// </summary>
internal sealed class GeoIpTestData
{
    private readonly List<(IPNetwork Network, string? Country)> _networks;

    private GeoIpTestData(string directory)
    {
        Database = Path.Combine(directory, "GeoLite2-Country-Test.mmdb");
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "GeoLite2-Country-Test.json")));
        _networks = [.. json.RootElement.EnumerateArray().SelectMany(o => o.EnumerateObject()).Select(p => (IPNetwork.Parse(p.Name),
            p.Value.TryGetProperty("country", out var c) && c.TryGetProperty("iso_code", out var iso) ? iso.GetString() : null))];
    }

    public string Database { get; }

    /// <summary>The country the source JSON gives the address (the most specific network holding it); null when none holds it.</summary>
    public string? CountryOf(string address)
    {
        var ip = IPAddress.Parse(address);
        return _networks.Where(n => n.Network.Contains(ip)).OrderByDescending(n => n.Network.PrefixLength).Select(n => n.Country).FirstOrDefault();
    }

    public static GeoIpTestData Require()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "data", "geoip");
            if (File.Exists(Path.Combine(candidate, "GeoLite2-Country-Test.mmdb")) && File.Exists(Path.Combine(candidate, "GeoLite2-Country-Test.json")))
            {
                return new GeoIpTestData(candidate);
            }
        }
        const string reason = "shared/data/geoip (GeoLite2-Country-Test.mmdb and .json) was not found above the test directory";
        Assert.False(SharedData.InCi, reason + " (required in CI)");
        Skip.If(true, reason);
        return null!;
    }
}
