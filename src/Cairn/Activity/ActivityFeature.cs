using Cairn.Storage;
using Cairn.Storage.Postgres;
using Cairn.Storage.Sqlite;

namespace Cairn.Activity;

/// <summary>The activity and engagement reads (issue #13): a store over the event log in each dialect, and the scope rules.</summary>
internal static class ActivityFeature
{
    public static IServiceCollection AddActivity(this IServiceCollection services)
    {
        services.AddSingleton<IActivityStore>(sp => sp.GetRequiredService<Stores>().Database switch
        {
            SqliteDatabase sqlite => new SqliteActivityStore(sqlite),
            PostgresDatabase postgres => new PostgresActivityStore(postgres),
            var other => throw new InvalidOperationException($"No activity store for {other.GetType().Name}."),
        });
        services.AddSingleton<ActivityScope>();
        return services;
    }
}
