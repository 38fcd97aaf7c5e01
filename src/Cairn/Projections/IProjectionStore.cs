using System.Data.Common;
using Cairn.Storage;

namespace Cairn.Projections;

/// <summary>
/// A projection's storage in one SQL dialect: its own tables (by its own migrations), the tables of them that hold a
/// playerKey, and the writer the job queue calls, inside the transaction that completes the job.
/// </summary>
internal interface IProjectionStore
{
    string Projection { get; }

    /// <summary>The projection's migrations, versioned on their own (in <c>projection_migrations</c>); append, never edit.</summary>
    IReadOnlyList<(int Version, string Sql)> Migrations { get; }

    IReadOnlyList<PlayerKeyTable> PlayerTables { get; }

    /// <summary>Writes one job's result (from <see cref="IProjection.ComputeAsync"/>) on the job queue's connection and transaction.</summary>
    Task WriteAsync(DbTransaction transaction, JobLease job, object? result, DateTimeOffset now, CancellationToken cancellationToken);
}
