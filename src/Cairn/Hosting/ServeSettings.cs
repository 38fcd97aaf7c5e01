namespace Cairn.Hosting;

/// <summary>What <c>cairn serve</c> was asked for on its command line; everything else comes from configuration.</summary>
internal sealed record ServeSettings
{
    public string? DataDirectory { get; init; }

    /// <summary>Port to listen on; 0 picks a free one (tests, benchmarks).</summary>
    public int Port { get; init; } = 5080;

    /// <summary>Address to bind; loopback unless asked otherwise.</summary>
    public string Host { get; init; } = "127.0.0.1";

    public string? Store { get; init; }

    public string? CatalogsDirectory { get; init; }

    public bool Demo { get; init; }

    public bool Production { get; init; }

    /// <summary>Extra configuration (section:key = value), applied last.</summary>
    public IReadOnlyDictionary<string, string?> Overrides { get; init; } = new Dictionary<string, string?>();
}
