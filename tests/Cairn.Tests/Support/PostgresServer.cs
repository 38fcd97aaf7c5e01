using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Npgsql;

namespace Cairn.Tests.Support;

/// <summary>
/// A PostgreSQL server for the whole test run, and a fresh database per test. The server is the one named by
/// <c>CAIRN_TEST_POSTGRES</c> (an Npgsql connection string whose user may create databases), or else a
/// throw-away cluster started from the newest <c>/usr/lib/postgresql/*/bin</c> on loopback, run as the
/// <c>postgres</c> user when the tests run as root, and stopped and deleted when the last test class using it is done.
/// Without either, a test that asks for a database is skipped locally and fails in CI.
/// Use: <c>sealed class XTests(PostgresServer server) : IClassFixture&lt;PostgresServer&gt;</c>, then
/// <c>await using var db = await server.CreateDatabaseAsync();</c> in a <c>[SkippableFact]</c> (or its InitializeAsync),
/// e.g. <c>TestServer.StartAsync(store: db.ConnectionString)</c>.
/// </summary>
/// <remarks>
/// xUnit v2 has no assembly fixtures, and a collection fixture would run every PostgreSQL test one after the other:
/// this class fixture is a counted handle on one cluster shared by the process, so test classes that use it still run in
/// parallel; the last handle disposed stops the cluster (one started later starts a new one). It is stopped there and not
/// at process exit because the test platform kills the test host right after the run.
/// </remarks>
public sealed class PostgresServer : IAsyncLifetime
{
    public const string EnvironmentVariable = "CAIRN_TEST_POSTGRES";

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static Task<Server>? _shared;
    private static int _handles;

    private Server? _server;

    public async Task InitializeAsync()
    {
        Task<Server> shared;
        await Gate.WaitAsync();
        try
        {
            _handles++;
            shared = _shared ??= StartAsync();
        }
        finally
        {
            Gate.Release();
        }
        _server = await shared;
    }

    public async Task DisposeAsync()
    {
        Task<Server>? last = null;
        await Gate.WaitAsync();
        try
        {
            if (--_handles == 0)
            {
                (last, _shared) = (_shared, null);
            }
        }
        finally
        {
            Gate.Release();
        }
        if (last is not null)
        {
            var server = await last;
            if (server.Pool is { } pool)
            {
                await pool.DisposeAsync();
            }
            if (server.Cluster is { } cluster)
            {
                await cluster.StopAsync();
            }
        }
    }

    /// <summary>An empty database of its own (dropped on dispose); a skip locally / a failure in CI without a server.</summary>
    public async Task<PostgresDatabase> CreateDatabaseAsync()
    {
        var server = _server ?? throw new InvalidOperationException("PostgresServer is used before xUnit initialized it");
        if (server.Unavailable is { } reason)
        {
            Assert.False(SharedData.InCi, reason + " (required in CI)");
            Skip.If(true, reason);
        }
        var name = await server.Pool!.TakeAsync();
        var connectionString = new NpgsqlConnectionStringBuilder(server.AdminConnectionString) { Database = name }.ConnectionString;
        return new PostgresDatabase(name, connectionString, server.AdminConnectionString);
    }

    /// <summary>
    /// A cluster of its own for a test that stops and starts the server (an outage), so no other test meets it; with
    /// its own database. A skip locally / a failure in CI without the PostgreSQL binaries.
    /// </summary>
    public static async Task<DedicatedPostgres> StartDedicatedAsync()
    {
        var reason = FindBinaries() is null ? "no PostgreSQL server binaries under /usr/lib/postgresql (apt-get install postgresql)" : null;
        Cluster? cluster = null;
        if (reason is null)
        {
            try
            {
                cluster = await Cluster.StartAsync(FindBinaries()!);
            }
            catch (Exception ex) when (ex is InvalidOperationException or IOException or System.ComponentModel.Win32Exception or NpgsqlException
                or TimeoutException or OperationCanceledException)
            {
                reason = $"a dedicated PostgreSQL cluster did not start: {ex.Message}";
            }
        }
        if (cluster is null)
        {
            Assert.False(SharedData.InCi, reason + " (required in CI)");
            Skip.If(true, reason);
        }
        await using (var admin = new NpgsqlConnection(cluster!.AdminConnectionString))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand("CREATE DATABASE cairn;", admin);
            await create.ExecuteNonQueryAsync();
        }
        return new DedicatedPostgres(cluster);
    }

    /// <summary>A cluster only one test uses: stop it the hard way and start it again; deleted on dispose.</summary>
    public sealed class DedicatedPostgres : IAsyncDisposable
    {
        private readonly Cluster _cluster;

        internal DedicatedPostgres(Cluster cluster)
        {
            _cluster = cluster;
            ConnectionString = new NpgsqlConnectionStringBuilder(cluster.AdminConnectionString) { Database = "cairn" }.ConnectionString;
        }

        /// <summary>The database <c>cairn</c> on this cluster (what <c>Storage:Store</c> takes).</summary>
        public string ConnectionString { get; }

        /// <summary><c>pg_ctl stop -m immediate</c>: every session is cut off at once, then connections are refused.</summary>
        public Task StopImmediatelyAsync() => _cluster.StopImmediatelyAsync();

        /// <summary>Starts the stopped cluster again on the same port and data.</summary>
        public Task StartAgainAsync() => _cluster.StartAgainAsync();

        /// <summary>
        /// Ends, as <c>pg_terminate_backend</c> does, the session of the Cairn server that waits on <paramref name="table"/>:
        /// the table is locked here, <paramref name="request"/> starts (and its query waits on the lock), then its session
        /// is terminated mid-query (SQLSTATE 57P01). Returns what the request then returned.
        /// </summary>
        public async Task<T> TerminateMidQueryAsync<T>(string table, Func<Task<T>> request)
        {
            var admin = new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false, ApplicationName = "cairn-test" }.ConnectionString;
            await using var holder = new NpgsqlConnection(admin);
            await holder.OpenAsync();
            await using var tx = await holder.BeginTransactionAsync();
            await using (var lockTable = new NpgsqlCommand($"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE;", holder, tx))
            {
                await lockTable.ExecuteNonQueryAsync();
            }
            var answer = request();
            await using var killer = new NpgsqlConnection(admin);
            await killer.OpenAsync();
            await using var terminate = new NpgsqlCommand("""
                SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
                WHERE datname = 'cairn' AND application_name = 'cairn' AND wait_event_type = 'Lock';
                """, killer);
            for (var i = 0; i < 200 && Convert.ToInt64(await terminate.ExecuteScalarAsync(), CultureInfo.InvariantCulture) == 0 && !answer.IsCompleted; i++)
            {
                await Task.Delay(25);
            }
            var result = await answer;
            await tx.RollbackAsync();
            return result;
        }

        public async ValueTask DisposeAsync()
        {
            NpgsqlConnection.ClearAllPools();
            await _cluster.StopAsync();
        }
    }

    /// <summary>What the run found: an admin connection string (and the cluster this run started), or why there is no server.</summary>
    private sealed record Server(string AdminConnectionString, string? Unavailable, Cluster? Cluster = null)
    {
        public DatabasePool? Pool { get; } = Unavailable is null ? new DatabasePool(AdminConnectionString) : null;
    }

    private static async Task<Server> StartAsync()
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } configured)
        {
            var error = await ProbeAsync(configured, TimeSpan.FromSeconds(10));
            return new Server(configured, error is null ? null : $"{EnvironmentVariable} is set but its server does not answer: {error}");
        }
        if (FindBinaries() is not { } bin)
        {
            return new Server("", $"no PostgreSQL server: set {EnvironmentVariable} to a connection string, or install the server binaries (apt-get install postgresql) under /usr/lib/postgresql");
        }
        try
        {
            var cluster = await Cluster.StartAsync(bin);
            return new Server(cluster.AdminConnectionString, null, cluster);
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or System.ComponentModel.Win32Exception or NpgsqlException
            or TimeoutException or OperationCanceledException)
        {
            return new Server("", $"a throw-away PostgreSQL cluster from {bin} did not start: {ex.Message}");
        }
    }

    /// <summary>The bin directory of the newest PostgreSQL installed the Debian way, or null.</summary>
    private static string? FindBinaries()
    {
        const string root = "/usr/lib/postgresql";
        if (!Directory.Exists(root))
        {
            return null;
        }
        return Directory.GetDirectories(root)
            .Select(dir => (Dir: dir, Version: decimal.TryParse(Path.GetFileName(dir), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var v) ? v : -1))
            .Where(x => x.Version >= 0 && File.Exists(Path.Combine(x.Dir, "bin", "initdb")) && File.Exists(Path.Combine(x.Dir, "bin", "pg_ctl")))
            .OrderByDescending(x => x.Version)
            .Select(x => Path.Combine(x.Dir, "bin"))
            .FirstOrDefault();
    }

    /// <summary>Null when the server answers a query within <paramref name="timeout"/>, else the last error.</summary>
    private static async Task<string?> ProbeAsync(string connectionString, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, Timeout = 5 };
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(builder.ConnectionString);
                await connection.OpenAsync();
                await using var ping = new NpgsqlCommand("SELECT 1;", connection);
                await ping.ExecuteScalarAsync();
                return null;
            }
            catch (Exception ex) when (ex is NpgsqlException or SocketException or TimeoutException or ArgumentException)
            {
                if (DateTime.UtcNow > deadline)
                {
                    return ex.Message;
                }
                await Task.Delay(200);
            }
        }
    }

    /// <summary>
    /// Empty databases made ahead of the tests that take them: CREATE DATABASE copies a template and flushes it (about
    /// half a second with fsync on), so two are made at a time while tests run. Unused ones are dropped at the end.
    /// </summary>
    private sealed class DatabasePool : IAsyncDisposable
    {
        private readonly string _adminConnectionString;
        private readonly Channel<string> _ready = Channel.CreateBounded<string>(3);
        private readonly CancellationTokenSource _stop = new();
        private readonly Task[] _makers;

        public DatabasePool(string adminConnectionString)
        {
            _adminConnectionString = adminConnectionString;
            _makers = [Task.Run(MakeAsync), Task.Run(MakeAsync)];
        }

        public async Task<string> TakeAsync()
        {
            try
            {
                return await _ready.Reader.ReadAsync();
            }
            catch (ChannelClosedException ex) when (ex.InnerException is not null)
            {
                throw new InvalidOperationException($"cannot create a test database: {ex.InnerException.Message}", ex.InnerException);
            }
        }

        private async Task MakeAsync()
        {
            try
            {
                while (!_stop.IsCancellationRequested)
                {
                    var name = "cairn_test_" + Guid.NewGuid().ToString("N");
                    await ExecuteAsync($"CREATE DATABASE \"{name}\";");
                    try
                    {
                        await _ready.Writer.WriteAsync(name, _stop.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        await ExecuteAsync($"DROP DATABASE IF EXISTS \"{name}\";");
                    }
                }
            }
            catch (NpgsqlException ex)
            {
                _ready.Writer.TryComplete(ex);
            }
        }

        private async Task ExecuteAsync(string sql)
        {
            await using var admin = new NpgsqlConnection(_adminConnectionString);
            await admin.OpenAsync();
            await using var command = new NpgsqlCommand(sql, admin);
            await command.ExecuteNonQueryAsync();
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await Task.WhenAll(_makers);
            _ready.Writer.TryComplete();
            while (_ready.Reader.TryRead(out var name))
            {
                await ExecuteAsync($"DROP DATABASE IF EXISTS \"{name}\";");
            }
            _stop.Dispose();
        }
    }

    /// <summary>A cluster in a temp directory of its own: data, socket and log.</summary>
    internal sealed class Cluster
    {
        private const string ClusterUser = "postgres";
        private readonly string _bin;
        private readonly string _directory;

        private Cluster(string bin, string directory, int port)
        {
            _bin = bin;
            _directory = directory;
            AdminConnectionString = new NpgsqlConnectionStringBuilder
            {
                Host = "127.0.0.1",
                Port = port,
                Username = ClusterUser,
                Database = "postgres",
                // Tests run in parallel, each with a pool on its own database.
                MaxPoolSize = 20,
            }.ConnectionString;
        }

        public string AdminConnectionString { get; }

        private string DataDirectory => Path.Combine(_directory, "data");

        private string LogFile => Path.Combine(_directory, "server.log");

        /// <summary>Root cannot run PostgreSQL: the binaries then run as the postgres user.</summary>
        private static bool AsOtherUser => Environment.IsPrivilegedProcess;

        public static async Task<Cluster> StartAsync(string bin)
        {
            // The process id in the name tells whose cluster it is; the watchdog below removes it if that process dies.
            var directory = Path.Combine(Path.GetTempPath(), $"cairn-pg-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..12]}");
            await RunAsync("mkdir", ["-m", "700", directory]);
            var port = FreePort();
            var cluster = new Cluster(bin, directory, port);
            try
            {
                // --no-sync only skips flushing initdb's own files: the server itself runs with fsync=on.
                await RunAsync(Path.Combine(bin, "initdb"),
                    ["-D", cluster.DataDirectory, "-U", ClusterUser, "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]);
                await File.AppendAllTextAsync(Path.Combine(cluster.DataDirectory, "postgresql.conf"), $"""

                    # cairn tests
                    listen_addresses = '127.0.0.1'
                    port = {port}
                    unix_socket_directories = '{directory}'
                    fsync = on
                    max_connections = 300
                    """);
                cluster.StartWatchdog();
                await RunAsync(Path.Combine(bin, "pg_ctl"), ["start", "-D", cluster.DataDirectory, "-l", cluster.LogFile, "-w", "-t", "60"]);
                if (await ProbeAsync(cluster.AdminConnectionString, TimeSpan.FromSeconds(30)) is { } error)
                {
                    throw new TimeoutException($"the cluster does not accept connections on port {port}: {error}; {cluster.LogTail()}");
                }
                return cluster;
            }
            catch
            {
                await cluster.StopAsync();
                throw;
            }
        }

        public Task StopImmediatelyAsync() =>
            RunAsync(Path.Combine(_bin, "pg_ctl"), ["stop", "-D", DataDirectory, "-m", "immediate", "-w", "-t", "60"]);

        public async Task StartAgainAsync()
        {
            await RunAsync(Path.Combine(_bin, "pg_ctl"), ["start", "-D", DataDirectory, "-l", LogFile, "-w", "-t", "60"]);
            if (await ProbeAsync(AdminConnectionString, TimeSpan.FromSeconds(30)) is { } error)
            {
                throw new TimeoutException($"the cluster does not accept connections again: {error}; {LogTail()}");
            }
        }

        /// <summary>Stops the server (fast: open sessions are ended) and deletes its directory.</summary>
        public async Task StopAsync()
        {
            try
            {
                if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
                {
                    await RunAsync(Path.Combine(_bin, "pg_ctl"), ["stop", "-D", DataDirectory, "-m", "fast", "-w", "-t", "60"]);
                }
            }
            finally
            {
                Directory.Delete(_directory, recursive: true);
            }
        }

        /// <summary>
        /// A detached shell that stops the cluster and deletes its directory if the test process goes away first, so a
        /// killed test run (a CI timeout, a debugger stop) leaves no server behind. It ends when the directory is gone.
        /// </summary>
        private void StartWatchdog()
        {
            var pgCtl = AsOtherUser ? $"runuser -u {ClusterUser} -- {Path.Combine(_bin, "pg_ctl")}" : Path.Combine(_bin, "pg_ctl");
            var script = $"""
                exec </dev/null >/dev/null 2>&1
                while [ -d /proc/{Environment.ProcessId} ] && [ -d '{_directory}' ]; do sleep 1; done
                [ -d '{DataDirectory}' ] && {pgCtl} stop -D '{DataDirectory}' -m immediate -w -t 30
                rm -rf '{_directory}'
                """;
            var start = new ProcessStartInfo("setsid")
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var arg in new[] { "-f", "sh", "-c", script })
            {
                start.ArgumentList.Add(arg);
            }
            using var watchdog = Process.Start(start)!;
        }

        private string LogTail()
        {
            try
            {
                return "server log: " + string.Join(" | ", File.ReadLines(LogFile).TakeLast(10));
            }
            catch (IOException)
            {
                return "no server log";
            }
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        private static ProcessStartInfo StartInfo(string fileName, IReadOnlyList<string> arguments)
        {
            var start = new ProcessStartInfo(AsOtherUser ? "runuser" : fileName)
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                // The cluster user may not be able to enter the test's working directory.
                WorkingDirectory = "/",
            };
            if (AsOtherUser)
            {
                foreach (var arg in new[] { "-u", ClusterUser, "--", fileName })
                {
                    start.ArgumentList.Add(arg);
                }
            }
            foreach (var arg in arguments)
            {
                start.ArgumentList.Add(arg);
            }
            return start;
        }

        /// <summary>Runs a command as the cluster user; throws with its output when it fails.</summary>
        private static async Task RunAsync(string fileName, IReadOnlyList<string> arguments)
        {
            using var process = Process.Start(StartInfo(fileName, arguments))
                ?? throw new InvalidOperationException($"{fileName} did not start");
            process.StandardInput.Close();
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            await process.WaitForExitAsync(timeout.Token);
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException(
                    $"{Path.GetFileName(fileName)} {string.Join(' ', arguments)} exited with {process.ExitCode}: {(await error).Trim()} {(await output).Trim()}");
            }
        }
    }
}
