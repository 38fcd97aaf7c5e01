using System.Diagnostics;
using System.Net;
using Cairn.Tests.Support;

namespace Cairn.Tests.Http;

/// <summary>
/// SQLite on a full disk: the data directory is a small tmpfs of its own (the tests run as root, which may mount),
/// filled up while the server runs, then given room again.
/// </summary>
public sealed class SqliteStoreOutageTests
{
    [SkippableFact]
    public async Task Issue_7_a_full_disk_answers_503_with_retry_after_on_ingest_and_writes_and_never_500()
    {
        using var root = new TempDirectory();
        var data = root.Combine("data");
        Directory.CreateDirectory(data);
        await MountSmallDiskAsync(data);
        try
        {
            await using (var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Storage:DataDirectory"] = data }))
            {
                var outage = new StoreOutage(server);
                Assert.Equal(HttpStatusCode.OK, await outage.PostBatchAsync());

                // A write-ahead log that was checkpointed is reused from its start, in space the file already has: empty
                // it first, so every write needs new blocks of the full disk.
                Database.Execute(Path.Combine(data, "cairn.db"), "PRAGMA wal_checkpoint(TRUNCATE);");
                await FillAsync(Path.Combine(data, "filler"));
                var ingest = await outage.PostBatchAsync(200);
                var createKey = await outage.SendAsync(HttpMethod.Post, "/v1/admin/keys", """{"org":"o2","game":"g2"}""");
                var createGroup = await outage.SendAsync(HttpMethod.Post, "/v1/groups",
                    """{"id":"g-full","org":"org-test","name":"Full disk","game":"game-test","teachers":["t-1"]}""");
                await outage.SendAsync(HttpMethod.Get, "/v1/admin/keys");

                Assert.Equal(HttpStatusCode.ServiceUnavailable, ingest);
                Assert.Equal(HttpStatusCode.ServiceUnavailable, createKey);
                Assert.Equal(HttpStatusCode.ServiceUnavailable, createGroup);
                outage.AssertOnlySuccessOr503();

                File.Delete(Path.Combine(data, "filler"));
                Assert.Equal(HttpStatusCode.OK, await outage.PostBatchAsync(200));
                Assert.Equal(HttpStatusCode.Created, await outage.SendAsync(HttpMethod.Post, "/v1/admin/keys", """{"org":"o2","game":"g2"}"""));
                var acknowledged = outage.Acknowledged;
                var stored = Database.Scalar(Path.Combine(data, "cairn.db"),
                    $"SELECT COUNT(*) FROM events WHERE event_id IN ({string.Join(',', acknowledged.Select(id => $"'{id}'"))});");
                Assert.Equal(acknowledged.Count, stored);
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            await RunAsync("umount", ["-l", data]);
        }
    }

    /// <summary>A 4 MiB tmpfs on <paramref name="directory"/>; a skip locally / a failure in CI where mounting is not allowed.</summary>
    private static async Task MountSmallDiskAsync(string directory)
    {
        var error = await RunAsync("mount", ["-t", "tmpfs", "-o", "size=4m", "tmpfs", directory]);
        if (error is not null)
        {
            var reason = $"cannot mount a small tmpfs to fill (needs root with CAP_SYS_ADMIN): {error}";
            Assert.False(SharedData.InCi, reason + " (required in CI)");
            Skip.If(true, reason);
        }
    }

    /// <summary>Writes a file until the disk is full.</summary>
    private static async Task FillAsync(string path)
    {
        var chunk = new byte[64 * 1024];
        await using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.None);
        try
        {
            while (true)
            {
                await file.WriteAsync(chunk);
            }
        }
        catch (IOException)
        {
            // ENOSPC: the disk is full, which is the point.
        }
        // What a partial chunk left unwritten: one byte at a time, so not a page is free.
        try
        {
            while (true)
            {
                await file.WriteAsync(chunk.AsMemory(0, 1));
            }
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Null when the command succeeded, else what it said.</summary>
    private static async Task<string?> RunAsync(string command, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(command) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        try
        {
            using var process = Process.Start(start)!;
            var error = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return process.ExitCode == 0 ? null : $"{command} exited with {process.ExitCode}: {error.Trim()}";
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return ex.Message;
        }
    }
}
