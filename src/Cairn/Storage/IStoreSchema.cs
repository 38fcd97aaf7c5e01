namespace Cairn.Storage;

/// <summary>The schema: the core migrations, then each projection's own, versioned and applied at start-up.</summary>
internal interface IStoreSchema
{
    /// <summary>Creates or upgrades the schema to the newest version (core and every registered projection).</summary>
    Task MigrateAsync(CancellationToken cancellationToken);

    /// <summary>True when the store answers and every migration has been applied.</summary>
    Task<bool> IsReadyAsync(CancellationToken cancellationToken);
}
