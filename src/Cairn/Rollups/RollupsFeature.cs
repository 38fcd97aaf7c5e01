using Cairn.Mastery;
using Cairn.Mastery.Storage;
using Cairn.Progress.Storage;
using Cairn.Projections;
using Cairn.Rollups.Storage;
using Cairn.Storage;

namespace Cairn.Rollups;

/// <summary>The rollups feature (issue #12): class rollups and at-risk evidence as a projection, its stores, the class dashboard.</summary>
internal static class RollupsFeature
{
    public static readonly ProjectionModule Module = new(
        RollupsProjection.Name,
        db => new SqliteRollupStore(db),
        db => new PostgresRollupStore(db),
        context => new RollupsProjection(context.Stores.Events, context.Stores.Groups,
            context.Stores.Projection<IMasteryStore>(MasteryProjection.Name), context.Stores.Projection<IProgressStore>(Progress.ProgressProjection.Name), context.Time));

    /// <summary>Registers the projection, its options and its read side (<see cref="DashboardApi"/>).</summary>
    public static IServiceCollection AddRollups(this IServiceCollection services)
    {
        services.AddSingleton(Module);
        services.AddSingleton(sp => sp.GetRequiredService<Stores>().Projection<IRollupStore>(RollupsProjection.Name));
        services.AddOptions<RiskOptions>().BindConfiguration(RiskOptions.SectionName)
            .Validate(o => o.Problem() is null, "Risk: GraceDays and ScoreTrendMargin must be ≥ 0, InactiveDays and StuckDays > 0, RecentActivity 0..200.")
            .ValidateOnStart();
        services.AddSingleton<DashboardReader>();
        return services;
    }
}
