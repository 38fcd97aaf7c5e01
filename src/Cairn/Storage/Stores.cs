using Cairn.Projections;
using Cairn.Storage.Postgres;
using Cairn.Storage.Sqlite;

namespace Cairn.Storage;

/// <summary>
/// The store, by concern: one database (SQLite or PostgreSQL) and the contracts over it, plus each registered
/// projection's own store. The server registers each contract on its own (a feature takes only what it needs).
/// </summary>
internal sealed class Stores : IAsyncDisposable
{
    private readonly IAsyncDisposable _database;

    private Stores(IAsyncDisposable database) => _database = database;

    public required IStoreSchema Schema { get; init; }

    public required IEventLog Events { get; init; }

    public required IJobQueue Jobs { get; init; }

    public required IPlayerDirectory Directory { get; init; }

    public required IAccessStore Access { get; init; }

    public required IGroupStore Groups { get; init; }

    public required IPrivacyStore Privacy { get; init; }

    /// <summary>Every table that holds a playerKey: the core ones and each projection's.</summary>
    public required PlayerData PlayerData { get; init; }

    /// <summary>Each registered projection's store, by projection name.</summary>
    public required IReadOnlyDictionary<string, IProjectionStore> Projections { get; init; }

    /// <summary>The database under the stores (a <see cref="SqliteDatabase"/> or a <see cref="PostgresDatabase"/>).</summary>
    public object Database => _database;

    /// <summary>A projection's store, as the contract its feature reads it by.</summary>
    public T Projection<T>(string name) where T : class =>
        Projections.TryGetValue(name, out var store) && store is T typed
            ? typed
            : throw new InvalidOperationException($"No projection store '{name}' of type {typeof(T).Name} is registered.");

    /// <summary>Opens the stores on the configured database (not yet migrated: see <see cref="IStoreSchema.MigrateAsync"/>).</summary>
    public static Stores Open(StorageOptions options, IEnumerable<ProjectionModule> modules)
    {
        var wrapped = Microsoft.Extensions.Options.Options.Create(options);
        var list = modules.ToList();
        if (Hosting.CairnConfiguration.IsSqlite(options))
        {
            var db = new SqliteDatabase(wrapped);
            var projections = list.Select(m => m.Sqlite(db)).ToList();
            var byName = projections.ToDictionary(p => p.Projection, StringComparer.Ordinal);
            var playerData = new PlayerData(projections.SelectMany(p => p.PlayerTables));
            return new Stores(db)
            {
                Schema = new SqliteSchema(db, projections),
                Events = new SqliteEventLog(db),
                Jobs = new SqliteJobQueue(db, byName),
                Directory = new SqlitePlayerDirectory(db),
                Access = new SqliteAccessStore(db),
                Groups = new SqliteGroupStore(db),
                Privacy = new SqlitePrivacyStore(db, playerData),
                PlayerData = playerData,
                Projections = byName,
            };
        }
        if (Hosting.CairnConfiguration.IsPostgres(options))
        {
            var db = new PostgresDatabase(wrapped);
            var projections = list.Select(m => m.Postgres(db)).ToList();
            var byName = projections.ToDictionary(p => p.Projection, StringComparer.Ordinal);
            var playerData = new PlayerData(projections.SelectMany(p => p.PlayerTables));
            return new Stores(db)
            {
                Schema = new PostgresSchema(db, projections),
                Events = new PostgresEventLog(db),
                Jobs = new PostgresJobQueue(db, byName),
                Directory = new PostgresPlayerDirectory(db),
                Access = new PostgresAccessStore(db),
                Groups = new PostgresGroupStore(db),
                Privacy = new PostgresPrivacyStore(db, playerData),
                PlayerData = playerData,
                Projections = byName,
            };
        }
        // The value may hold a password: it is not repeated in the message.
        throw new InvalidOperationException(
            "Storage:Store (--store, CAIRN_STORE) must be 'sqlite' or a PostgreSQL connection string such as " +
            "'Host=localhost;Port=5432;Username=cairn;Database=cairn'.");
    }

    public ValueTask DisposeAsync() => _database.DisposeAsync();
}
