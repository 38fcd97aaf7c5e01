using Cairn.Storage;
using Cairn.Storage.Postgres;
using Cairn.Storage.Sqlite;

namespace Cairn.Funnels;

/// <summary>Funnels over the event log (issue #15): a store in each dialect; the scope rules are the activity reads'.</summary>
internal static class FunnelsFeature
{
    public static IServiceCollection AddFunnels(this IServiceCollection services) =>
        services.AddSingleton<IFunnelStore>(sp => sp.GetRequiredService<Stores>().Database switch
        {
            SqliteDatabase sqlite => new SqliteFunnelStore(sqlite),
            PostgresDatabase postgres => new PostgresFunnelStore(postgres),
            var other => throw new InvalidOperationException($"No funnel store for {other.GetType().Name}."),
        });
}
