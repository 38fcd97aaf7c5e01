namespace Cairn.Storage;

/// <summary>Where and how events are stored.</summary>
internal sealed class StorageOptions
{
    public const string SectionName = "Storage";

    /// <summary>Directory holding the SQLite file, the dev pepper and other local state.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>Which store to use: <c>sqlite</c> (embedded default).</summary>
    public string Store { get; set; } = "sqlite";

    /// <summary>SQLite <c>synchronous</c> pragma: FULL survives power loss; NORMAL only process crashes.</summary>
    public string Synchronous { get; set; } = "FULL";

    /// <summary>How many rejected events the quarantine keeps before trimming the oldest.</summary>
    public int MaxRejectedEvents { get; set; } = 100_000;

    /// <summary>Largest raw payload kept per rejected event, in bytes; longer ones are truncated.</summary>
    public int MaxRejectedPayloadBytes { get; set; } = 16 * 1024;

    public string SqlitePath => Path.Combine(DataDirectory, "cairn.db");
}
