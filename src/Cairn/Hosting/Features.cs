using Cairn.Projections;

namespace Cairn.Hosting;

/// <summary>The shipped projections, for the commands that open the store without the server (import, erase, rotate).</summary>
internal static class Features
{
    /// <summary>Keep in step with the <c>Add…()</c> calls of <see cref="CairnServer.AddCairnCore"/> (a test checks both agree).</summary>
    public static IReadOnlyList<ProjectionModule> Projections { get; } =
        [Progress.ProgressFeature.Module, Mastery.MasteryFeature.Module, PlayerState.PlayerStateFeature.Module,
         Leaderboards.LeaderboardsFeature.Module, Rollups.RollupsFeature.Module, Consent.ConsentCategoriesFeature.Module,
         PlaySessions.SessionsFeature.Module];
}
