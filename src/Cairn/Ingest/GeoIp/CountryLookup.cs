using System.Net;
using MaxMind.GeoIP2;

namespace Cairn.Ingest.GeoIp;

/// <summary>
/// The country of a client's address, from the MaxMind database an operator configures (<c>Ingest:GeoIpDatabase</c>),
/// read into memory once at start. Only the ISO country code is kept (as the event's <c>context.country</c>); the address
/// itself is never stored.
/// </summary>
internal sealed class CountryLookup : IDisposable
{
    private readonly DatabaseReader? _reader;

    public CountryLookup(Microsoft.Extensions.Options.IOptions<IngestOptions> options)
    {
        if (options.Value.GeoIpDatabase is { Length: > 0 } path)
        {
            _reader = new DatabaseReader(path, MaxMind.Db.FileAccessMode.Memory);
        }
    }

    /// <summary>Whether the file opens as a MaxMind database (checked when the options are validated at start).</summary>
    public static bool CanOpen(string path)
    {
        try
        {
            using var reader = new DatabaseReader(path, MaxMind.Db.FileAccessMode.Memory);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or MaxMind.Db.InvalidDatabaseException)
        {
            return false;
        }
    }

    /// <summary>The ISO 3166-1 alpha-2 code of the address's country (the registered country when the database has no other); null when it has none.</summary>
    public string? CountryOf(IPAddress? address)
    {
        if (_reader is null || address is null)
        {
            return null;
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        try
        {
            return _reader.TryCountry(address, out var response) && response is not null
                ? response.Country.IsoCode ?? response.RegisteredCountry.IsoCode
                : null;
        }
        catch (MaxMind.Db.InvalidDatabaseException)
        {
            return null;
        }
    }

    public void Dispose() => _reader?.Dispose();
}
