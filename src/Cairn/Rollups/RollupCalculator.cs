using System.Text.Json;
using Cairn.Ingest;
using Cairn.Mastery;

namespace Cairn.Rollups;

/// <summary>
/// A class's rollup from what its members did: pure, so a test can check it against its own computation. An LMS event
/// counts for the class when its <c>class_id</c> is the class (or it has none); an assignment is assigned to a student once
/// any LMS event names it, and graded once a graded event with a score does (the latest grade counts).
/// </summary>
internal static class RollupCalculator
{
    public static ClassRollup Compute(string groupId, IReadOnlyList<MemberInput> members, DateTimeOffset now)
    {
        var students = members.Select(m => Student(groupId, m)).ToList();

        var assigned = students.Sum(s => s.Assigned);
        var graded = students.Sum(s => s.Graded);
        var scores = students.SelectMany(s => s.Assignments).Where(a => a.Score is not null).Select(a => a.Score!.Value).ToList();
        var summary = new ClassSummary(
            members.Count, assigned, graded, assigned == 0 ? null : (double)graded / assigned, scores.Count == 0 ? null : scores.Average(),
            Median(students.Where(s => s.CompletionRate is not null).Select(s => s.CompletionRate!.Value)), now);

        var levelOf = members.ToDictionary(m => m.PlayerKey,
            m => m.Mastery.GroupBy(r => r.StandardId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Level, StringComparer.Ordinal), StringComparer.Ordinal);
        string Level(string playerKey, string standard) => levelOf[playerKey].GetValueOrDefault(standard) ?? MasteryLevels.NotStarted;

        var assignments = students
            .SelectMany(s => s.Assignments.Select(a => (Student: s.PlayerKey, Fact: a)))
            .GroupBy(x => x.Fact.AssignmentId, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var standards = g.SelectMany(x => x.Fact.Standards).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
                var levels = LevelCounts.Empty;
                foreach (var (student, _) in g)
                {
                    foreach (var standard in standards)
                    {
                        levels = levels.Add(Level(student, standard));
                    }
                }
                var graded = g.Where(x => x.Fact.Score is not null).Select(x => x.Fact.Score!.Value).ToList();
                return new AssignmentRollup(g.Key, g.Count(), graded.Count, graded.Count == 0 ? null : graded.Average(), standards, levels);
            })
            .ToList();

        var standardIds = members.SelectMany(m => m.Mastery.Select(r => r.StandardId))
            .Concat(assignments.SelectMany(a => a.Standards)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var standardRollups = standardIds
            .Select(id => new StandardRollup(id, members.Aggregate(LevelCounts.Empty, (c, m) => c.Add(Level(m.PlayerKey, id)))))
            .ToList();

        return new ClassRollup(groupId, summary, assignments, standardRollups, students);
    }

    private static StudentFacts Student(string groupId, MemberInput member)
    {
        var facts = new Dictionary<string, Accumulator>(StringComparer.Ordinal);
        foreach (var e in member.LmsEvents)
        {
            if (e.Data.ValueKind != JsonValueKind.Object || !ForClass(e.Data, groupId) || Text(e.Data, "assignment_id") is not { } assignment)
            {
                continue;
            }
            if (!facts.TryGetValue(assignment, out var fact))
            {
                facts[assignment] = fact = new Accumulator { AssignedAt = e.Timestamp };
            }
            if (e.Timestamp < fact.AssignedAt)
            {
                fact.AssignedAt = e.Timestamp;
            }
            if (e.Data.TryGetProperty("standard_ids", out var ids) && ids.ValueKind == JsonValueKind.Array)
            {
                foreach (var id in ids.EnumerateArray().Take(LmsDialect.MaxStandards))
                {
                    if (id.ValueKind == JsonValueKind.String && id.GetString()!.Trim() is { Length: > 0 and <= MasteryEvidence.MaxStandardLength } standard)
                    {
                        fact.Standards.Add(standard);
                    }
                }
            }
            if (e.EventType == LmsDialect.Graded && MasteryEvidence.Percent(e.Data) is { } score
                && (fact.GradedAt is not { } at || e.Timestamp > at || (e.Timestamp == at && e.Seq > fact.GradedSeq)))
            {
                fact.GradedAt = e.Timestamp;
                fact.GradedSeq = e.Seq;
                fact.Score = score;
            }
        }
        var assignments = facts.OrderBy(f => f.Value.AssignedAt).ThenBy(f => f.Key, StringComparer.Ordinal)
            .Select(f => new AssignmentFact(f.Key, f.Value.AssignedAt, f.Value.GradedAt, f.Value.Score, [.. f.Value.Standards]))
            .ToList();
        var graded = assignments.Where(a => a.Score is not null).ToList();
        return new StudentFacts(
            member.PlayerKey, assignments.Count, graded.Count, assignments.Count == 0 ? null : (double)graded.Count / assignments.Count,
            graded.Count == 0 ? null : graded.Average(a => a.Score!.Value), member.LastEventAt, assignments,
            [.. member.Started.OrderBy(p => p.StartedAt).ThenBy(p => p.PointId, StringComparer.Ordinal)]);
    }

    private sealed class Accumulator
    {
        public DateTimeOffset AssignedAt;
        public DateTimeOffset? GradedAt;
        public long GradedSeq;
        public double? Score;
        public readonly SortedSet<string> Standards = new(StringComparer.Ordinal);
    }

    private static bool ForClass(JsonElement data, string groupId) => Text(data, "class_id") is not { } classId || classId == groupId;

    private static string? Text(JsonElement data, string field) =>
        data.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String && value.GetString()!.Trim() is { Length: > 0 } text ? text : null;

    /// <summary>The median (the mean of the middle two for an even count); null for none.</summary>
    public static double? Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0)
        {
            return null;
        }
        var mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
