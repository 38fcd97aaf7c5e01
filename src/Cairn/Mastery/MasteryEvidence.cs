using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cairn.Catalogs;
using Cairn.Ingest;
using Cairn.Storage;

namespace Cairn.Mastery;

/// <summary>
/// Which events are evidence of which standards, and what they say: a graded LMS submission (<c>standard_ids</c>,
/// <c>score</c> out of <c>max_score</c> or 100: correct at or above the standard's threshold), a game stage completed
/// (<c>concept_tags</c>; <c>passed</c> when given, else the score against the threshold), and a concept the game reports
/// mastered (<c>concept_tags</c>: a correct observation).
/// </summary>
internal static class MasteryEvidence
{
    public const string StageComplete = "game_stage_complete";
    public const string ConceptMastered = "concept_mastered";

    public static readonly IReadOnlyList<string> EventTypes = [LmsDialect.Graded, StageComplete, ConceptMastered];

    public const int MaxStandardLength = 128;

    /// <summary>The standards an event is evidence of (for <c>Collect</c>: from the event alone, in memory).</summary>
    public static void StandardsOf(string eventType, JsonObject? data, ICollection<string> keys, MasteryEvidenceRules? rules = null)
    {
        if (data is null || !IsEvidence(eventType))
        {
            return;
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var field in FieldsFor(eventType))
        {
            if (data[field] is not JsonArray array)
            {
                continue;
            }
            foreach (var item in array.Take(LmsDialect.MaxStandards))
            {
                if (item is JsonValue v && v.GetValueKind() == JsonValueKind.String && Clean(v.GetValue<string>()) is { } id)
                {
                    foreach (var standard in Map(field, id, rules))
                    {
                        if (seen.Add(standard))
                        {
                            keys.Add(standard);
                        }
                    }
                }
            }
        }
    }

    /// <summary>The standards an event of the store is evidence of (for a fit, which reads every event once).</summary>
    public static IReadOnlyList<string> StandardsOf(string eventType, JsonElement data, MasteryEvidenceRules? rules = null)
    {
        if (!IsEvidence(eventType) || data.ValueKind != JsonValueKind.Object)
        {
            return [];
        }
        var ids = new List<string>();
        foreach (var field in FieldsFor(eventType))
        {
            if (data.TryGetProperty(field, out var array) && array.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in array.EnumerateArray().Take(LmsDialect.MaxStandards))
                {
                    if (item.ValueKind == JsonValueKind.String && Clean(item.GetString()!) is { } id)
                    {
                        foreach (var standard in Map(field, id, rules))
                        {
                            if (!ids.Contains(standard))
                            {
                                ids.Add(standard);
                            }
                        }
                    }
                }
            }
        }
        return ids;
    }

    /// <summary>What an event of the history says about <paramref name="standardId"/> (null: nothing).</summary>
    public static MasteryObservation? Observe(HistoryEvent e, string standardId, double threshold, MasteryEvidenceRules? rules = null) =>
        Observe(e.EventType, e.Data, standardId, threshold, e.Timestamp, e.Seq, e.EventId, rules);

    public static MasteryObservation? Observe(
        string eventType, JsonElement data, string standardId, double threshold, DateTimeOffset at, long seq, string eventId, MasteryEvidenceRules? rules = null)
    {
        if (!IsEvidence(eventType) || data.ValueKind != JsonValueKind.Object || !Names(eventType, data, standardId, rules))
        {
            return null;
        }
        bool? correct = eventType switch
        {
            ConceptMastered => true,
            StageComplete => Judge(data, threshold),
            _ => Percent(data) is { } s ? s >= threshold * 100 - 1e-9 : null,
        };
        return correct is { } c ? new MasteryObservation(at, seq, eventId, eventType, c, Percent(data)) : null;
    }

    /// <summary>
    /// What an event of the history that matches an evidence rule of the catalog says (null: nothing): the rule's
    /// <c>correct</c> when it has one, else the event's own <c>passed</c>, else its score against the threshold.
    /// </summary>
    public static MasteryObservation? Observe(HistoryEvent e, EvidenceRule rule, double threshold) =>
        e.Data.ValueKind == JsonValueKind.Object && PatternMatcher.Matches(rule.Event, e.EventType, e.Data)
        && (rule.Correct ?? Judge(e.Data, threshold)) is { } correct
            ? new MasteryObservation(e.Timestamp, e.Seq, e.EventId, e.EventType, correct, Percent(e.Data))
            : null;

    /// <summary><c>passed</c> when given, else the score against the threshold; null with neither.</summary>
    private static bool? Judge(JsonElement data, double threshold) =>
        Bool(data, "passed") is { } passed ? passed : Percent(data) is { } s ? s >= threshold * 100 - 1e-9 : null;

    /// <summary>A concept tag stands for the standards the catalog maps it to (itself when unmapped); a standard id for itself.</summary>
    private static IReadOnlyList<string> Map(string field, string id, MasteryEvidenceRules? rules) =>
        field == "concept_tags" && rules is not null ? rules.StandardsOfConcept(id) : [id];

    private static bool IsEvidence(string eventType) => eventType is LmsDialect.Graded or StageComplete or ConceptMastered;

    private static string[] FieldsFor(string eventType) => eventType == LmsDialect.Graded ? ["standard_ids"] : ["concept_tags", "standard_ids"];

    private static string? Clean(string id)
    {
        var trimmed = id.Trim();
        return trimmed.Length is > 0 and <= MaxStandardLength ? trimmed : null;
    }

    private static bool Names(string eventType, JsonElement data, string standardId, MasteryEvidenceRules? rules)
    {
        foreach (var field in FieldsFor(eventType))
        {
            if (data.TryGetProperty(field, out var array) && array.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in array.EnumerateArray().Take(LmsDialect.MaxStandards))
                {
                    if (item.ValueKind == JsonValueKind.String && Clean(item.GetString()!) is { } id && Map(field, id, rules).Contains(standardId))
                    {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /// <summary>The score in percent of <c>max_score</c> (100 when absent), clamped to 0–100; null without a score.</summary>
    public static double? Percent(JsonElement data)
    {
        if (Number(data, "score") is not { } score)
        {
            return null;
        }
        var max = Number(data, "max_score") is { } m && m > 0 ? m : 100;
        return Math.Clamp(score / max * 100, 0, 100);
    }

    private static double? Number(JsonElement data, string field)
    {
        if (!data.TryGetProperty(field, out var value))
        {
            return null;
        }
        return value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetDouble(out var d) && double.IsFinite(d) => d,
            JsonValueKind.String when double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var p) && double.IsFinite(p) => p,
            _ => null,
        };
    }

    private static bool? Bool(JsonElement data, string field) =>
        data.TryGetProperty(field, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                JsonValueKind.String when bool.TryParse(value.GetString(), out var b) => b,
                _ => null,
            }
            : null;
}
