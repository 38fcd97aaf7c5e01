namespace Cairn.Catalogs;

/// <summary>Reloads the catalogs when a file in their directory changes (debounced: editors write in bursts).</summary>
internal sealed class CatalogWatcher(CatalogRegistry registry, Hosting.BackgroundHealth health, ILogger<CatalogWatcher> logger)
    : Hosting.ResilientService(ComponentName, health, logger)
{
    public const string ComponentName = "catalog-watcher";

    private static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(300);

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        if (!Directory.Exists(registry.Directory))
        {
            return;
        }
        var changed = new SemaphoreSlim(0);
        using var watcher = new FileSystemWatcher(registry.Directory) { IncludeSubdirectories = false, EnableRaisingEvents = true };
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
            Log.CatalogFilesChanged(logger);
            registry.Reload();
            Succeeded();
        }
    }
}
