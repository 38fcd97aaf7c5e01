using System.Diagnostics;
using Cairn.Client.Tests.Support;

namespace Cairn.Client.Tests;

/// <summary>The game process (samples/Cairn.SampleGame) killed with its queue on disk, then started again.</summary>
public sealed class CrashTests
{
    private static string SampleGame()
    {
        var here = new DirectoryInfo(AppContext.BaseDirectory);
        // tests/Cairn.Client.Tests/bin/<Configuration>/<tfm>/ → samples/Cairn.SampleGame/bin/<Configuration>/<tfm>/
        var tfm = here.Name;
        var configuration = here.Parent!.Name;
        var root = here;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Cairn.slnx")))
        {
            root = root.Parent;
        }
        Assert.NotNull(root);
        var dll = Path.Combine(root!.FullName, "samples", "Cairn.SampleGame", "bin", configuration, tfm, "Cairn.SampleGame.dll");
        Assert.True(File.Exists(dll), dll + " is built with the tests (a project reference)");
        return dll;
    }

    private static Process Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(SampleGame());
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        return Process.Start(start)!;
    }

    [Fact]
    public async Task Issue_16_a_game_killed_with_its_queue_on_disk_sends_every_event_after_restart_and_none_twice()
    {
        await using var server = new LoopbackServer();
        await server.StartAsync();
        using var queue = new TempDirectory();
        string[] Args(params string[] extra) =>
            ["--endpoint", server.Endpoint.ToString(), "--key", server.IngestKey, "--queue", queue.Path, "--levels", "10", .. extra];

        // The first run queues 32 events and is killed (SIGKILL) before it flushes anything.
        using (var game = Start(Args("--hang")))
        {
            var line = await game.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.Equal("queued 32", line);
            game.Kill(entireProcessTree: true);
            await game.WaitForExitAsync();
        }
        Assert.Equal(0, server.Scalar("SELECT COUNT(*) FROM events"));

        // The second run sends what the first left and its own session: 64 events, each once.
        using (var game = Start(Args()))
        {
            var output = await game.StandardOutput.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(60));
            await game.WaitForExitAsync();
            Assert.Equal(0, game.ExitCode);
            Assert.Contains("session sent", output, StringComparison.Ordinal);
        }
        Assert.Equal((64L, 64L), server.Stored());
        Assert.Equal(2, server.Scalar("SELECT COUNT(DISTINCT session_id) FROM events"));
    }

    [Fact]
    public async Task Issue_16_a_torn_last_line_in_the_queue_file_costs_only_that_event()
    {
        await using var server = new LoopbackServer();
        await server.StartAsync();
        await server.KillAsync();
        using var queue = new TempDirectory();
        using (var client = new CairnClient(server.ClientOptions(queue.Path)))
        {
            for (var i = 0; i < 10; i++)
            {
                client.Track("game_stage_start");
            }
            Assert.False(await client.FlushAsync());
        }
        // A kill in the middle of writing: half a line at the end of the log.
        var log = Directory.GetFiles(queue.Path, "events-*.log").Single(f => new FileInfo(f).Length > 0);
        await File.AppendAllTextAsync(log, "{\"id\":\"6f1c0000-0000-0000-0000-00000000000");
        await server.StartAsync();
        using (var client = new CairnClient(server.ClientOptions(queue.Path)))
        {
            Assert.Equal(10, client.QueuedCount);
            Assert.True(await client.FlushAsync());
        }
        Assert.Equal((10L, 10L), server.Stored());
    }
}
