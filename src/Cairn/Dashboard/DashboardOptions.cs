namespace Cairn.Dashboard;

/// <summary>Limits of the dashboard's live streams, and when the class page says a student needs attention.</summary>
internal sealed class DashboardOptions
{
    public const string SectionName = "Dashboard";

    /// <summary>Live streams one token (with all the browser sessions it signed in) may hold open at once; past it, 429.</summary>
    public int MaxStreamsPerToken { get; set; } = 20;

    /// <summary>A student with at least this many yellow cells needs attention.</summary>
    public int AttentionYellowCells { get; set; } = 3;

    /// <summary>Minutes without an event (on the game's clock, behind the class's latest) after which a student of a playing class needs attention; also how recent an event makes the class "playing".</summary>
    public int InactiveMinutes { get; set; } = 10;
}
