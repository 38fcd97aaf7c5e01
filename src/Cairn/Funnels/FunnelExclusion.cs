using Cairn.Catalogs;

namespace Cairn.Funnels;

/// <summary>An event that removes a player from a funnel when it comes between their step <c>From</c> and step <c>To</c> (0-based).</summary>
internal sealed record FunnelExclusion(EventPattern Pattern, int From, int To);
