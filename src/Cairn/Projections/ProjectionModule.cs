using Cairn.Storage.Postgres;
using Cairn.Storage.Sqlite;

namespace Cairn.Projections;

/// <summary>
/// Everything a projection brings: its name, its storage in each dialect (made on the store's database), and the
/// projection itself (made on the opened stores). A feature registers one (<c>services.AddProgress()</c>), and the
/// commands that work without the server take the shipped list (<see cref="Hosting.Features.Projections"/>).
/// </summary>
internal sealed record ProjectionModule(
    string Name,
    Func<SqliteDatabase, IProjectionStore> Sqlite,
    Func<PostgresDatabase, IProjectionStore> Postgres,
    Func<ProjectionContext, IProjection> Create);
