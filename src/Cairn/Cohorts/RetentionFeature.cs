using Cairn.Storage;
using Cairn.Storage.Postgres;
using Cairn.Storage.Sqlite;

namespace Cairn.Cohorts;

/// <summary>Retention cohorts over the event log (issue #15; not the data-retention rules of Privacy): a store in each dialect.</summary>
internal static class RetentionFeature
{
    public static IServiceCollection AddRetentionCohorts(this IServiceCollection services) =>
        services.AddSingleton<IRetentionStore>(sp => sp.GetRequiredService<Stores>().Database switch
        {
            SqliteDatabase sqlite => new SqliteRetentionStore(sqlite),
            PostgresDatabase postgres => new PostgresRetentionStore(postgres),
            var other => throw new InvalidOperationException($"No retention store for {other.GetType().Name}."),
        });
}
