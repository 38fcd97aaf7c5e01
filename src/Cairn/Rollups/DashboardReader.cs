using Cairn.Dashboard;
using Cairn.Rollups.Storage;
using Cairn.Storage;
using Microsoft.Extensions.Options;

namespace Cairn.Rollups;

/// <summary>
/// Reads a class's dashboard: the stored rollup (nothing is aggregated here), the risk rules applied to its stored evidence
/// at the time of the read (so a grace period that runs out shows without a new event), and the latest events of the current
/// members (also what the inactive rule takes as a student's latest activity). Students who left the class (or were erased)
/// are not shown.
/// </summary>
internal sealed class DashboardReader(IRollupStore rollups, IGroupStore groups, IEventLog events, IOptions<RiskOptions> options, TimeProvider time)
{
    public async Task<GroupDashboard> ReadAsync(GroupRecord group, CancellationToken cancellationToken)
    {
        var risk = options.Value;
        var members = (await groups.GetMembersAsync(group.OrgId, group.Id, cancellationToken)).ToDictionary(m => m.PlayerKey, StringComparer.Ordinal);
        var rollup = await rollups.GetClassAsync(group.OrgId, group.Game, group.Id, cancellationToken);
        // Each member's latest events: the recent activity, and the latest event time the inactive rule needs (read here,
        // because any event counts as activity and only LMS events, progress and mastery changes queue the rollup job).
        var latest = new List<(StoredEvent Event, GroupMember Member)>();
        var lastEventAt = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var member in members.Values)
        {
            var page = await events.GetTimelineAsync(new TimelineQuery(member.PlayerKey, null, null, Math.Max(1, risk.RecentActivity), null, [group.Game]), cancellationToken);
            latest.AddRange(page.Items.Select(e => (e, member)));
            if (page.Items.Count > 0)
            {
                lastEventAt[member.PlayerKey] = page.Items.Max(e => e.Timestamp);
            }
        }
        var activity = latest.OrderByDescending(x => x.Event.Timestamp).ThenByDescending(x => x.Event.Seq).Take(risk.RecentActivity)
            .Select(x => new ActivityItem(x.Event.Timestamp, x.Event.EventId, x.Event.EventType, x.Member.PlayerKey, MatrixReader.LabelOf(x.Member)))
            .ToList();

        var atRisk = new List<AtRiskStudent>();
        if (rollup is not null)
        {
            var current = rollup.Students.Where(s => members.ContainsKey(s.PlayerKey))
                .Select(s => s with { LastEventAt = lastEventAt.TryGetValue(s.PlayerKey, out var at) ? at : null })
                .ToList();
            foreach (var (student, flags) in RiskRules.Evaluate(current, rollup.Summary.MedianCompletion, risk, time.GetUtcNow()))
            {
                atRisk.Add(new AtRiskStudent(student.PlayerKey, MatrixReader.LabelOf(members[student.PlayerKey]), student.CompletionRate, student.AverageScore, flags));
            }
            atRisk.Sort((a, b) => b.Flags.Count != a.Flags.Count ? b.Flags.Count.CompareTo(a.Flags.Count) : StringComparer.OrdinalIgnoreCase.Compare(a.DisplayName, b.DisplayName));
        }

        var s = rollup?.Summary;
        return new GroupDashboard(group.Id, group.Name, group.Game, s?.ComputedAt, s?.Students ?? 0, s?.Assigned ?? 0, s?.Graded ?? 0, s?.CompletionRate,
            s?.AverageScore, s?.MedianCompletion, atRisk, activity,
            [.. (rollup?.Standards ?? []).Select(r => new DashboardStandard(r.StandardId, r.Levels.Total, r.Levels, LevelShares.Of(r.Levels)))],
            [.. (rollup?.Assignments ?? []).Select(a => new DashboardAssignment(a.AssignmentId, a.Assigned, a.Graded,
                a.Assigned == 0 ? null : (double)a.Graded / a.Assigned, a.AverageScore, a.Standards, a.Levels, LevelShares.Of(a.Levels)))]);
    }
}
