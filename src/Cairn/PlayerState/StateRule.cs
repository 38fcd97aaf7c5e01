using Cairn.Catalogs;

namespace Cairn.PlayerState;

/// <summary>A catalog <c>state:</c> rule: an event pattern and the operations an event matching it applies, in order.</summary>
internal sealed record StateRule(EventPattern On, IReadOnlyList<StateOperation> Operations);
