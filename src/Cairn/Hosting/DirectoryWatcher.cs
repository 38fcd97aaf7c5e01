namespace Cairn.Hosting;

/// <summary>
/// Calls <see cref="OnChanged"/> when a file in a directory changes, debounced (editors write in bursts). Nothing when the
/// directory does not exist. The catalogs and the schemas reload through it.
/// </summary>
internal abstract class DirectoryWatcher(string component, string directory, bool includeSubdirectories, BackgroundHealth health, ILogger logger)
    : ResilientService(component, health, logger)
{
    private static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(300);

    /// <summary>After a burst of changes has settled.</summary>
    protected abstract void OnChanged();

    protected sealed override async Task RunAsync(CancellationToken stoppingToken)
    {
        if (!Directory.Exists(directory))
        {
            return;
        }
        var changed = new SemaphoreSlim(0);
        using var watcher = new FileSystemWatcher(directory) { IncludeSubdirectories = includeSubdirectories, EnableRaisingEvents = true };
        watcher.Changed += (_, _) => changed.Release();
        watcher.Created += (_, _) => changed.Release();
        watcher.Deleted += (_, _) => changed.Release();
        watcher.Renamed += (_, _) => changed.Release();
        while (!stoppingToken.IsCancellationRequested)
        {
            await changed.WaitAsync(stoppingToken);
            await Task.Delay(Debounce, stoppingToken);
            while (changed.CurrentCount > 0)
            {
                await changed.WaitAsync(stoppingToken);
            }
            OnChanged();
            Succeeded();
        }
    }
}
