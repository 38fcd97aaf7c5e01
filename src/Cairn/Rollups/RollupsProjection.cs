using Cairn.Ingest;
using Cairn.Mastery.Storage;
using Cairn.Progress.Storage;
using Cairn.Projections;
using Cairn.Storage;

namespace Cairn.Rollups;

/// <summary>
/// Class rollups and the evidence of the at-risk flags. The job queue keys jobs by player, and a class has none, so the
/// projection has two kinds of job: an LMS event of a player queues the player's job (key <see cref="ClassesKey"/>), whose
/// write queues the job of each class of the game the player is a member of (playerKey <c>''</c>, key: the group id) —
/// read from the rosters when the job runs, never at ingest. A class job reads its members' LMS events, mastery rows,
/// started progress points and latest event, and returns a <see cref="ClassRollup"/>. Mastery and progress writes, roster
/// changes and erasures queue class jobs too (<see cref="RollupTriggers"/>); repeated triggers coalesce into one job.
/// </summary>
internal sealed class RollupsProjection(IEventLog events, IGroupStore groups, IMasteryStore mastery, IProgressStore progress, TimeProvider time) : IProjection
{
    public const string Name = "rollups";

    /// <summary>The key of a player's job: "recompute my classes".</summary>
    public const string ClassesKey = "classes";

    public const string StudentsTable = "rollup_students";

    /// <summary>
    /// The per-student rows. A rekey queues the player's job under the new key (any key of a player's job fans out to their
    /// classes), which recomputes those classes.
    /// </summary>
    public static readonly IReadOnlyList<PlayerKeyTable> PlayerTables =
        [new(StudentsTable, Name, ["org_id", "game", "group_id"], JobKeyColumn: "group_id", RetentionColumn: null)];

    string IProjection.Name => Name;

    /// <summary>LMS events (assigned, submitted, graded) queue the player's job; game events reach the classes through the progress and mastery writes they cause.</summary>
    public void Collect(ProjectionEvent e, ICollection<string> keys)
    {
        if (LmsDialect.Types.Contains(e.EventType))
        {
            keys.Add(ClassesKey);
        }
    }

    public async Task<object?> ComputeAsync(JobLease job, CancellationToken cancellationToken)
    {
        if (job.PlayerKey.Length > 0)
        {
            // A player's job: its write queues the classes (see SqliteRollupStore / PostgresRollupStore).
            return null;
        }
        var group = await groups.GetGroupAsync(job.OrgId, job.Key, cancellationToken);
        if (group is null || group.Game != job.Game)
        {
            return null;
        }
        var members = await groups.GetMembersAsync(group.OrgId, group.Id, cancellationToken);
        var started = (await progress.GetGroupProgressAsync(group, cancellationToken))
            .Where(r => r.IsStarted)
            .ToLookup(r => r.PlayerKey, r => new StartedPoint(r.PointId, r.StartedAt ?? r.CompletedAt), StringComparer.Ordinal);
        var inputs = new List<MemberInput>(members.Count);
        foreach (var member in members)
        {
            var lms = await events.GetHistoryAsync(group.OrgId, group.Game, member.PlayerKey, LmsDialect.Types, cancellationToken);
            var rows = await mastery.GetPlayerMasteryAsync(member.PlayerKey, group.Game, cancellationToken);
            var latest = await events.GetTimelineAsync(new TimelineQuery(member.PlayerKey, null, null, 1, null, [group.Game]), cancellationToken);
            inputs.Add(new MemberInput(member.PlayerKey, lms, [.. rows.Where(r => r.OrgId == group.OrgId)], [.. started[member.PlayerKey]],
                latest.Items.Count > 0 ? latest.Items[0].Timestamp : null));
        }
        return RollupCalculator.Compute(group.Id, inputs, time.GetUtcNow());
    }
}
