using Cairn.Tests.Support;

namespace Cairn.Tests.Hosting;

/// <summary>Runs alone (after the parallel tests), so that the process's inotify instances are its own to count.</summary>
[CollectionDefinition(nameof(InotifyLeakCollection), DisableParallelization = true)]
public sealed class InotifyLeakCollection;

/// <summary>
/// A stopped server gives back every inotify instance it took (file watchers of catalogs, schemas, settings). The limit
/// is per user (128 by default) and shared with every other process: a few leaked per server once made every later
/// server of the test run, and every other process of the user, fail to start.
/// </summary>
[Collection(nameof(InotifyLeakCollection))]
public sealed class InotifyLeakTests
{
    private static int InotifyInstances() =>
        new DirectoryInfo("/proc/self/fd").EnumerateFileSystemInfos()
            .Count(fd => fd.LinkTarget is { } target && target.Contains("inotify", StringComparison.Ordinal));

    [SkippableFact]
    public async Task Issue_13_starting_and_stopping_servers_leaves_no_inotify_instance_behind()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "inotify is Linux's");
        await using (var warm = await TestServer.StartAsync())
        {
        }
        var before = InotifyInstances();

        for (var i = 0; i < 5; i++)
        {
            await using var server = await TestServer.StartAsync();
            using var response = await server.GetAsAdminAsync("/health/ready");
        }
        var after = InotifyInstances();

        Assert.True(after <= before, $"{after - before} inotify instances left behind by 5 servers ({before} before, {after} after)");
    }
}
