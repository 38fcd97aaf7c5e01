using System.Text.RegularExpressions;
using Cairn.Catalogs;

namespace Cairn.Funnels;

/// <summary>A funnel: its steps (the catalog's event patterns), the rolling window from the first step, the order rule, exclusions and an optional breakdown.</summary>
internal sealed partial record FunnelDefinition(
    IReadOnlyList<EventPattern> Steps, long WindowSeconds, FunnelOrder Order, IReadOnlyList<FunnelExclusion> Exclusions, string? Breakdown)
{
    public const int MaxSteps = 20;
    public const long DefaultWindowSeconds = 7 * 86400;
    public const long MaxWindowSeconds = 366L * 86400;

    /// <summary>A saved funnel's id (none for an ad-hoc query).</summary>
    public string? Id { get; init; }

    public string? Title { get; init; }

    /// <summary>A breakdown names a field of an event's device, context or data: <c>device.platform</c>.</summary>
    [GeneratedRegex("^(device|context|data)\\.([A-Za-z0-9_]{1,64})$", RegexOptions.CultureInvariant)]
    public static partial Regex BreakdownPattern();

    /// <summary>The column and the field of the breakdown (both checked by <see cref="BreakdownPattern"/>, so safe in SQL).</summary>
    public (string Column, string Field)? BreakdownColumn =>
        Breakdown is not null && BreakdownPattern().Match(Breakdown) is { Success: true } m ? (m.Groups[1].Value, m.Groups[2].Value) : null;

    /// <summary>The order's name as the API and the catalog spell it.</summary>
    public static string Name(FunnelOrder order) => order switch
    {
        FunnelOrder.Strict => "strict",
        FunnelOrder.Any => "any",
        _ => "ordered",
    };

    /// <summary>A step as the pages say it: its name, else the event type and the data it must have.</summary>
    public static string Label(EventPattern step) =>
        step.Name ?? (step.Data.Count == 0
            ? step.EventType
            : step.EventType + " " + string.Join(", ", step.Data.Select(d => d.Field + "=" + string.Join("|", d.Values.Select(MatchValue.Bare)))));

    /// <summary>The event types a query must read (null: every event of the game, which the strict order needs).</summary>
    public IReadOnlyList<string>? EventTypes =>
        Order == FunnelOrder.Strict ? null : [.. Steps.Select(s => s.EventType).Concat(Exclusions.Select(e => e.Pattern.EventType)).Distinct(StringComparer.Ordinal)];
}
