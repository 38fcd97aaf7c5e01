namespace Cairn.Dashboard;

/// <summary>Limits of the dashboard's live streams.</summary>
internal sealed class DashboardOptions
{
    public const string SectionName = "Dashboard";

    /// <summary>Live streams one token (with all the browser sessions it signed in) may hold open at once; past it, 429.</summary>
    public int MaxStreamsPerToken { get; set; } = 20;
}
