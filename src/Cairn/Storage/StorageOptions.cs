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

    /// <summary>How many rejected events the quarantine keeps per org and game before trimming that game's oldest.</summary>
    public int MaxRejectedEvents { get; set; } = 100_000;

    /// <summary>How many rejected events the quarantine keeps per org, all its games together, before trimming the org's oldest.</summary>
    public int MaxRejectedEventsPerOrg { get; set; } = 1_000_000;

    /// <summary>Days a rejected event is kept in the quarantine; older ones are deleted by the background trim.</summary>
    public int MaxRejectedAgeDays { get; set; } = 30;

    /// <summary>Minutes between background trims of the quarantine in <c>cairn serve</c> (0 turns the background trim off).</summary>
    public int RejectedTrimPeriodMinutes { get; set; } = 60;

    /// <summary>Largest raw payload kept per rejected event, in bytes; longer ones are truncated.</summary>
    public int MaxRejectedPayloadBytes { get; set; } = 16 * 1024;

    public string SqlitePath => Path.Combine(DataDirectory, "cairn.db");
}
