using System.Text.Json;
using Cairn.Catalogs;

namespace Cairn.Funnels;

/// <summary>
/// Computes a funnel from the events of each player (docs/analytics.md, Funnels). Every event of a player matching the first
/// step (any step for the <c>any</c> order) starts an attempt; the attempt counted is the one reaching the most steps, the
/// earliest of those. The window is rolling: a later step counts when it is at most <c>windowSeconds</c> after the attempt's start.
/// </summary>
internal static class FunnelEngine
{
    /// <summary>The breakdown values shown by name, by players at the first step; the rest join "other".</summary>
    public const int BreakdownValues = 10;

    public const string Other = "other";

    private sealed record Journey(string PlayerKey, int Reached, TimeSpan[] Gaps, string? Group, bool Excluded);

    public static FunnelOutcome Compute(FunnelDefinition funnel, IReadOnlyList<FunnelEvent> events)
    {
        var journeys = new List<Journey>();
        var start = 0;
        for (var i = 1; i <= events.Count; i++)
        {
            if (i == events.Count || !string.Equals(events[i].PlayerKey, events[start].PlayerKey, StringComparison.Ordinal))
            {
                if (Follow(funnel, events, start, i) is { } journey)
                {
                    journeys.Add(journey);
                }
                start = i;
            }
        }
        var counted = journeys.Where(j => !j.Excluded).ToList();
        var steps = Steps(funnel, counted);
        var dropped = Enumerable.Range(0, funnel.Steps.Count)
            .Select(k => (IReadOnlyList<string>)(k == 0 ? [] : [.. counted.Where(j => j.Reached == k).Select(j => j.PlayerKey)]))
            .ToList();
        IReadOnlyList<FunnelBreakdown>? breakdown = null;
        if (funnel.Breakdown is not null)
        {
            var named = counted.Where(j => j.Group is not null).GroupBy(j => j.Group!, StringComparer.Ordinal)
                .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Take(BreakdownValues)
                .Select(g => g.Key).Where(v => v != Other).ToHashSet(StringComparer.Ordinal);
            breakdown = [
                .. named.Order(StringComparer.Ordinal).Select(v => (v, Players: counted.Where(j => j.Group == v).ToList()))
                    .OrderByDescending(b => b.Players.Count).ThenBy(b => b.v, StringComparer.Ordinal)
                    .Select(b => new FunnelBreakdown(b.v, Steps(funnel, b.Players))),
                new FunnelBreakdown(Other, Steps(funnel, [.. counted.Where(j => j.Group is null || !named.Contains(j.Group))])),
            ];
        }
        return new FunnelOutcome(steps, breakdown, dropped, journeys.Count - counted.Count);
    }

    private static List<FunnelStep> Steps(FunnelDefinition funnel, IReadOnlyList<Journey> journeys)
    {
        var steps = new List<FunnelStep>();
        long first = 0, previous = 0;
        for (var k = 0; k < funnel.Steps.Count; k++)
        {
            var reached = journeys.Where(j => j.Reached > k).ToList();
            long players = reached.Count;
            if (k == 0)
            {
                first = previous = players;
            }
            double? median = null, p90 = null;
            if (k > 0 && funnel.Order != FunnelOrder.Any && reached.Count > 0)
            {
                var gaps = reached.Select(j => j.Gaps[k].TotalSeconds).Order().ToList();
                (median, p90) = (Rank(gaps, 0.5), Rank(gaps, 0.9));
            }
            steps.Add(new FunnelStep(k, FunnelDefinition.Label(funnel.Steps[k]), players, Share(players, first), Share(players, previous), median, p90,
                k == 0 ? 0 : previous - players));
            previous = players;
        }
        return steps;
    }

    /// <summary>The nearest-rank percentile: the smallest value with at least p of the values at or below it.</summary>
    private static double Rank(List<double> sorted, double p) => sorted[Math.Max(0, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private static double Share(long part, long whole) => whole == 0 ? 0 : Math.Round((double)part / whole, 4);

    /// <summary>One player's counted attempt (null when no event of theirs starts one).</summary>
    private static Journey? Follow(FunnelDefinition funnel, IReadOnlyList<FunnelEvent> events, int from, int to)
    {
        var n = funnel.Steps.Count;
        var stepMasks = new int[to - from];
        var excluded = new int[to - from];
        for (var i = from; i < to; i++)
        {
            (stepMasks[i - from], excluded[i - from]) = Masks(funnel, events[i]);
        }
        var window = TimeSpan.FromSeconds(funnel.WindowSeconds);
        (int Reached, int[] At)? best = null;
        for (var s = 0; s < stepMasks.Length && best?.Reached != n; s++)
        {
            var starts = funnel.Order == FunnelOrder.Any ? stepMasks[s] != 0 : (stepMasks[s] & 1) != 0;
            if (!starts)
            {
                continue;
            }
            var attempt = funnel.Order == FunnelOrder.Any ? AnyOrder(events, from, stepMasks, s, n, window) : InOrder(funnel, events, from, stepMasks, s, n, window);
            if (best is null || attempt.Reached > best.Value.Reached)
            {
                best = attempt;
            }
        }
        if (best is not { } counted)
        {
            return null;
        }
        var gaps = new TimeSpan[n];
        if (funnel.Order != FunnelOrder.Any)
        {
            for (var k = 1; k < counted.Reached; k++)
            {
                gaps[k] = events[from + counted.At[k]].At - events[from + counted.At[k - 1]].At;
            }
        }
        var startAt = events[from + counted.At[0]].At;
        var isExcluded = false;
        for (var x = 0; x < funnel.Exclusions.Count && !isExcluded; x++)
        {
            var (_, i, j) = funnel.Exclusions[x];
            if (counted.Reached <= i)
            {
                continue;
            }
            for (var p = counted.At[i] + 1; p < stepMasks.Length && !isExcluded; p++)
            {
                var before = counted.Reached > j ? p < counted.At[j] : events[from + p].At - startAt <= window;
                if (!before)
                {
                    break;
                }
                isExcluded = (excluded[p] & (1 << x)) != 0;
            }
        }
        return new Journey(events[from].PlayerKey, counted.Reached, gaps, events[from + counted.At[0]].Group, isExcluded);
    }

    private static (int Reached, int[] At) InOrder(FunnelDefinition funnel, IReadOnlyList<FunnelEvent> events, int from, int[] masks, int s, int n, TimeSpan window)
    {
        var at = new int[n];
        at[0] = s;
        var k = 1;
        var startAt = events[from + s].At;
        for (var p = s + 1; p < masks.Length && k < n && events[from + p].At - startAt <= window; p++)
        {
            if ((masks[p] & (1 << k)) != 0)
            {
                at[k++] = p;
            }
            else if (funnel.Order == FunnelOrder.Strict)
            {
                break;
            }
        }
        return (k, at);
    }

    private static (int Reached, int[] At) AnyOrder(IReadOnlyList<FunnelEvent> events, int from, int[] masks, int s, int n, TimeSpan window)
    {
        var done = 0;
        var startAt = events[from + s].At;
        for (var p = s; p < masks.Length && events[from + p].At - startAt <= window; p++)
        {
            done |= masks[p];
        }
        var reached = 0;
        while (reached < n && (done & (1 << reached)) != 0)
        {
            reached++;
        }
        return (reached, [s]);
    }

    /// <summary>Which steps and which exclusions an event fits (bit k: step or exclusion k).</summary>
    private static (int Steps, int Exclusions) Masks(FunnelDefinition funnel, FunnelEvent e)
    {
        JsonElement? data = null;
        JsonElement Data()
        {
            if (data is null)
            {
                try
                {
                    using var document = JsonDocument.Parse(e.Data);
                    data = document.RootElement.Clone();
                }
                catch (JsonException)
                {
                    data = default(JsonElement);
                }
            }
            return data.Value;
        }
        bool Fits(EventPattern pattern) => pattern.EventType == e.EventType && (pattern.Data.Count == 0 || PatternMatcher.Matches(pattern, e.EventType, Data()));
        var steps = 0;
        for (var k = 0; k < funnel.Steps.Count; k++)
        {
            steps |= Fits(funnel.Steps[k]) ? 1 << k : 0;
        }
        var exclusions = 0;
        for (var x = 0; x < funnel.Exclusions.Count; x++)
        {
            exclusions |= Fits(funnel.Exclusions[x].Pattern) ? 1 << x : 0;
        }
        return (steps, exclusions);
    }
}
