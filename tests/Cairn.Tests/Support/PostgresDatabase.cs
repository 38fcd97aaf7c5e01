using Npgsql;

namespace Cairn.Tests.Support;

/// <summary>An empty database on the test server, for one test; dropped (with any open sessions) on dispose.</summary>
public sealed class PostgresDatabase(string name, string connectionString, string adminConnectionString) : IAsyncDisposable
{
    public string Name { get; } = name;

    /// <summary>An Npgsql keyword connection string for this database (what <c>Storage:Store</c> takes).</summary>
    public string ConnectionString { get; } = connectionString;

    public async ValueTask DisposeAsync()
    {
        await using (var pooled = new NpgsqlConnection(ConnectionString))
        {
            NpgsqlConnection.ClearPool(pooled);
        }
        await using var admin = new NpgsqlConnection(adminConnectionString);
        await admin.OpenAsync();
        // A store under test may still hold a session (a pool it did not clear): end them so the drop succeeds.
        if (admin.PostgreSqlVersion.Major < 13)
        {
            await using var terminate = new NpgsqlCommand($"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{Name}';", admin);
            await terminate.ExecuteNonQueryAsync();
        }
        var force = admin.PostgreSqlVersion.Major >= 13 ? " WITH (FORCE)" : "";
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\"{force};", admin);
        await drop.ExecuteNonQueryAsync();
    }
}
