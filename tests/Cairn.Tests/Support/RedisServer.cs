using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace Cairn.Tests.Support;

/// <summary>
/// A throw-away <c>redis-server</c> (Debian package <c>redis-server</c>) on a free loopback port, in a temp directory, with no
/// persistence: a kill loses what it held, as a lost Redis does. One per test (it starts in milliseconds), so a test can kill
/// and restart its own. Without the binary a test is skipped locally and fails in CI (like <see cref="PostgresServer"/>).
/// Use: <c>await using var redis = await RedisServer.StartAsync();</c> in a <c>[SkippableFact]</c>, then
/// <c>["Cache:Redis"] = redis.ConnectionString</c>.
/// </summary>
internal sealed class RedisServer : IAsyncDisposable
{
    public const string Binary = "/usr/bin/redis-server";

    private readonly TempDirectory _directory = new();
    private Process? _process;
    private ConnectionMultiplexer? _client;

    private RedisServer(int port) => Port = port;

    public int Port { get; }

    /// <summary>What <c>Cache:Redis</c> takes.</summary>
    public string ConnectionString => $"127.0.0.1:{Port}";

    public static async Task<RedisServer> StartAsync()
    {
        if (!File.Exists(Binary))
        {
            var reason = $"no {Binary} (apt-get install redis-server)";
            Assert.False(SharedData.InCi, reason + " (required in CI)");
            Skip.If(true, reason);
        }
        var server = new RedisServer(FreePort());
        try
        {
            await server.StartAgainAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>(Re)starts the server on the same port, empty; returns once it answers PING.</summary>
    public async Task StartAgainAsync()
    {
        var start = new ProcessStartInfo(Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _directory.Path,
        };
        foreach (var argument in new[] { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
                     "--save", "", "--appendonly", "no", "--dir", _directory.Path, "--protected-mode", "yes", "--daemonize", "no" })
        {
            start.ArgumentList.Add(argument);
        }
        _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var tcp = new TcpClient();
                await tcp.ConnectAsync(IPAddress.Loopback, Port);
                break;
            }
            catch (SocketException) when (clock.Elapsed < TimeSpan.FromSeconds(20) && !_process.HasExited)
            {
                await Task.Delay(20);
            }
        }
        Assert.False(_process.HasExited, "redis-server exited at start");
    }

    /// <summary>SIGKILL: the server is gone at once, with everything it held.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    /// <summary>A client of the test's own (to look at the keyspace).</summary>
    public async Task<IDatabase> DatabaseAsync()
    {
        _client ??= await ConnectionMultiplexer.ConnectAsync(new ConfigurationOptions { EndPoints = { ConnectionString }, AbortOnConnectFail = false, AllowAdmin = true });
        return _client.GetDatabase();
    }

    public IServer Server => _client!.GetServer(ConnectionString);

    /// <summary>Every key, and every key whose name or members (sets, sorted sets) mention <paramref name="text"/>.</summary>
    public async Task<IReadOnlyList<string>> KeysMentioningAsync(string text)
    {
        var db = await DatabaseAsync();
        var found = new List<string>();
        await foreach (var key in Server.KeysAsync(pattern: "*"))
        {
            var name = key.ToString();
            var type = await db.KeyTypeAsync(key);
            var mentions = name.Contains(text, StringComparison.Ordinal) || type switch
            {
                RedisType.SortedSet => (await db.SortedSetRangeByRankAsync(key)).Any(m => m.ToString().Contains(text, StringComparison.Ordinal)),
                RedisType.Set => (await db.SetMembersAsync(key)).Any(m => m.ToString().Contains(text, StringComparison.Ordinal)),
                RedisType.String => (await db.StringGetAsync(key)).ToString().Contains(text, StringComparison.Ordinal),
                _ => false,
            };
            if (mentions)
            {
                found.Add(name);
            }
        }
        return found;
    }

    public async ValueTask DisposeAsync()
    {
        if (_client is not null)
        {
            await _client.DisposeAsync();
        }
        await KillAsync();
        _process?.Dispose();
        _directory.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
