using Cairn.Mastery;
using Cairn.Storage;

namespace Cairn.Rollups;

/// <summary>What the rollup job reads for one member: LMS events, mastery rows, started progress points, the latest event time.</summary>
internal sealed record MemberInput(
    string PlayerKey, IReadOnlyList<HistoryEvent> LmsEvents, IReadOnlyList<MasteryRow> Mastery, IReadOnlyList<StartedPoint> Started, DateTimeOffset? LastEventAt);
