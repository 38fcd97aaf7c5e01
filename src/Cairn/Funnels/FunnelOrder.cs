namespace Cairn.Funnels;

/// <summary>How a funnel's steps must follow one another (docs/analytics.md, Funnels).</summary>
internal enum FunnelOrder
{
    /// <summary>The steps in order; other events may come between them.</summary>
    Ordered,

    /// <summary>The steps in order, with no other event of the game between two steps.</summary>
    Strict,

    /// <summary>The steps in any order, all within the window.</summary>
    Any,
}
