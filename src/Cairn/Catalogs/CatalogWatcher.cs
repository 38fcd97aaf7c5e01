namespace Cairn.Catalogs;

/// <summary>Reloads the catalogs when a file in their directory changes.</summary>
internal sealed class CatalogWatcher(CatalogRegistry registry, Hosting.BackgroundHealth health, ILogger<CatalogWatcher> logger)
    : Hosting.DirectoryWatcher(ComponentName, registry.Directory, includeSubdirectories: false, health, logger)
{
    public const string ComponentName = "catalog-watcher";

    protected override void OnChanged()
    {
        Log.CatalogFilesChanged(logger);
        registry.Reload();
    }
}
