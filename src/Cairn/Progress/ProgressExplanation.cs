using Cairn.Storage;

namespace Cairn.Progress;

/// <summary>A computed cell with the events that decided it (for the teacher's drill-down).</summary>
internal sealed record ProgressExplanation(
    ProgressRow? Row, HistoryEvent? Reset, HistoryEvent? Start, HistoryEvent? Completion, IReadOnlyList<HistoryEvent> Counted);
