namespace Cairn.Privacy;

/// <summary>How long events are kept, per privacy level, in days; overridable per org.</summary>
internal sealed class RetentionOptions
{
    public const string SectionName = "Retention";

    /// <summary>Days an event of each privacy level is kept (standard 7 years, sensitive 3, pii 1, system 1).</summary>
    public Dictionary<string, int> Days { get; set; } = new(StringComparer.Ordinal)
    {
        ["standard"] = 2555,
        ["sensitive"] = 1095,
        ["pii"] = 365,
        ["system"] = 365,
    };

    /// <summary>Per-org overrides: org → level → days (e.g. Retention:Orgs:school-1:standard = 1825).</summary>
    public Dictionary<string, Dictionary<string, int>> Orgs { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Hours between scheduled purges inside <c>cairn serve</c> (0 turns the schedule off).</summary>
    public int PeriodHours { get; set; } = 24;
}
