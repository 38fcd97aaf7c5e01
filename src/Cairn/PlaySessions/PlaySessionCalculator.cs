using Cairn.Ingest.Sampling;

namespace Cairn.PlaySessions;

/// <summary>
/// Cuts a player's events of a game (in timestamp, arrival order) into play sessions: a session starts at
/// <c>session_start</c> or at the first event after the previous session ended, and ends at <c>session_end</c>, at a crash
/// event, at the last event before an inactivity gap, or before the event that would make it longer than the maximum.
/// </summary>
internal static class PlaySessionCalculator
{
    public const string StartEvent = "session_start";
    public const string EndEvent = "session_end";

    /// <summary>The events that end a session as a crash.</summary>
    public static readonly IReadOnlySet<string> CrashEvents = new HashSet<string>(StringComparer.Ordinal) { "session_crash", "crash" };

    /// <summary>The category of events the taxonomy does not list.</summary>
    public const string Other = "other";

    public static IReadOnlyList<PlaySession> Compute(SessionSettings settings, IEnumerable<SessionEvent> events)
    {
        var sessions = new List<PlaySession>();
        Builder? current = null;
        foreach (var e in events)
        {
            if (current is not null)
            {
                string? cut = null;
                if (e.Timestamp - current.Last >= settings.Gap || e.EventType == StartEvent)
                {
                    cut = SessionEnd.Gap;
                }
                else if (e.Timestamp - current.Start > settings.MaxLength)
                {
                    cut = SessionEnd.Max;
                }
                if (cut is not null)
                {
                    sessions.Add(current.Build(cut));
                    current = null;
                }
            }
            current ??= new Builder(e.Timestamp);
            current.Add(e);
            if (e.EventType == EndEvent || CrashEvents.Contains(e.EventType))
            {
                sessions.Add(current.Build(e.EventType == EndEvent ? SessionEnd.Explicit : SessionEnd.Crash));
                current = null;
            }
        }
        if (current is not null)
        {
            sessions.Add(current.Build(SessionEnd.Open));
        }
        return sessions;
    }

    private sealed class Builder(DateTimeOffset start)
    {
        private readonly Dictionary<string, int> _categories = new(StringComparer.Ordinal);
        private int _events;
        private string? _platform;
        private string? _build;
        private string? _country;

        public DateTimeOffset Start { get; } = start;

        public DateTimeOffset Last { get; private set; } = start;

        public void Add(SessionEvent e)
        {
            Last = e.Timestamp;
            _events++;
            var category = Taxonomy.CategoryOf(e.EventType) ?? Other;
            _categories[category] = _categories.GetValueOrDefault(category) + 1;
            _platform ??= e.Platform;
            _build ??= e.Build;
            _country ??= e.Country;
        }

        public PlaySession Build(string endedBy) =>
            new(Start, Last, endedBy, _events, new SortedDictionary<string, int>(_categories, StringComparer.Ordinal), _platform, _build, _country);
    }
}
