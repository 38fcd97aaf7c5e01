namespace Cairn.Schemas;

/// <summary>Reloads the schemas when a file under their directory changes (debounced: editors write in bursts).</summary>
internal sealed class SchemaWatcher(EventSchemaRegistry registry, Hosting.BackgroundHealth health, ILogger<SchemaWatcher> logger)
    : Hosting.ResilientService(ComponentName, health, logger)
{
    public const string ComponentName = "schema-watcher";

    private static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(300);

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        if (!Directory.Exists(registry.Directory))
        {
            return;
        }
        var changed = new SemaphoreSlim(0);
        using var watcher = new FileSystemWatcher(registry.Directory) { IncludeSubdirectories = true, EnableRaisingEvents = true };
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
            Log.SchemaFilesChanged(logger);
            registry.Reload();
            Succeeded();
        }
    }
}
