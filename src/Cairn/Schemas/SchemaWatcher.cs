namespace Cairn.Schemas;

/// <summary>Reloads the schemas when a file under their directory (game and event-type folders included) changes.</summary>
internal sealed class SchemaWatcher(EventSchemaRegistry registry, Hosting.BackgroundHealth health, ILogger<SchemaWatcher> logger)
    : Hosting.DirectoryWatcher(ComponentName, registry.Directory, includeSubdirectories: true, health, logger)
{
    public const string ComponentName = "schema-watcher";

    protected override void OnChanged()
    {
        Log.SchemaFilesChanged(logger);
        registry.Reload();
    }
}
