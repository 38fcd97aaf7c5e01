namespace Cairn.PlayerState;

/// <summary>The player's state in one game while the history is replayed; <see cref="Build"/> makes the stored document.</summary>
internal sealed class PlayerStateBuilder
{
    private readonly List<string> _inventory = [];
    private readonly Dictionary<string, DateTimeOffset> _visited = new(StringComparer.Ordinal);
    private readonly List<string> _visitOrder = [];
    private readonly Dictionary<string, DateTimeOffset> _active = new(StringComparer.Ordinal);
    private readonly List<string> _activeOrder = [];
    private readonly Dictionary<string, DateTimeOffset> _completed = new(StringComparer.Ordinal);
    private readonly List<string> _completedOrder = [];
    private readonly SortedDictionary<string, bool> _flags = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, double> _counters = new(StringComparer.Ordinal);
    private string? _location;

    public double Counter(string id) => _counters.GetValueOrDefault(id);

    public bool HasCompleted(string quest) => _completed.ContainsKey(quest);

    public bool HasVisited(string waypoint) => _visited.ContainsKey(waypoint);

    public void Apply(StateOperationKind kind, string target, double amount, DateTimeOffset at)
    {
        switch (kind)
        {
            case StateOperationKind.AddItem:
                if (!_inventory.Contains(target, StringComparer.Ordinal))
                {
                    _inventory.Add(target);
                }
                break;
            case StateOperationKind.RemoveItem:
                _inventory.Remove(target);
                break;
            case StateOperationKind.Visit:
                if (_visited.TryAdd(target, at))
                {
                    _visitOrder.Add(target);
                }
                break;
            case StateOperationKind.StartQuest:
                if (!_completed.ContainsKey(target) && _active.TryAdd(target, at))
                {
                    _activeOrder.Add(target);
                }
                break;
            case StateOperationKind.CompleteQuest:
                if (_active.Remove(target))
                {
                    _activeOrder.Remove(target);
                }
                if (_completed.TryAdd(target, at))
                {
                    _completedOrder.Add(target);
                }
                break;
            case StateOperationKind.SetFlag:
                _flags[target] = true;
                break;
            case StateOperationKind.ClearFlag:
                _flags[target] = false;
                break;
            case StateOperationKind.AddCounter:
                _counters[target] = _counters.GetValueOrDefault(target) + amount;
                break;
            case StateOperationKind.SetLocation:
                _location = target;
                break;
        }
    }

    public PlayerStateDocument Build(DateTimeOffset startedAt, DateTimeOffset lastPlayedAt, DateTimeOffset? waypointsCompletedAt, double playtimeSeconds) => new(
        _location,
        [.. _inventory],
        [.. _visitOrder.Select(w => new VisitedWaypoint(w, _visited[w]))],
        [.. _activeOrder.Select(q => new QuestMark(q, _active[q]))],
        [.. _completedOrder.Select(q => new QuestMark(q, _completed[q]))],
        new SortedDictionary<string, bool>(_flags, StringComparer.Ordinal),
        new SortedDictionary<string, double>(_counters, StringComparer.Ordinal),
        startedAt,
        lastPlayedAt,
        waypointsCompletedAt,
        playtimeSeconds);
}
