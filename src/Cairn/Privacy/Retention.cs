using Cairn.Storage;

namespace Cairn.Privacy;

/// <summary>Turns the retention settings into purge rules for a moment in time, and runs them.</summary>
internal static class Retention
{
    public static IReadOnlyList<PurgeRule> RulesAt(RetentionOptions options, DateTimeOffset now)
    {
        var rules = new List<PurgeRule>();
        var overridden = options.Orgs.Keys.ToList();
        foreach (var (level, days) in options.Days)
        {
            rules.Add(new PurgeRule(null, level, now.AddDays(-days), overridden));
        }
        foreach (var (org, levels) in options.Orgs)
        {
            foreach (var (level, defaultDays) in options.Days)
            {
                var days = levels.TryGetValue(level, out var own) ? own : defaultDays;
                rules.Add(new PurgeRule(org, level, now.AddDays(-days), []));
            }
        }
        return rules;
    }

    /// <returns>Events deleted per rule, in order.</returns>
    public static async Task<IReadOnlyList<(PurgeRule Rule, long Deleted)>> PurgeAsync(
        IPrivacyStore store, RetentionOptions options, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var results = new List<(PurgeRule, long)>();
        foreach (var rule in RulesAt(options, now))
        {
            results.Add((rule, await store.PurgeAsync(rule, cancellationToken)));
        }
        return results;
    }
}
