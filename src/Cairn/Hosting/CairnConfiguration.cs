using Cairn.Access;
using Cairn.Identity;
using Cairn.Storage;

namespace Cairn.Hosting;

/// <summary>
/// Configuration shared by every command: built-in defaults, then environment variables
/// (CAIRN_ADMIN_TOKEN, CAIRN_PEPPER, CAIRN_PEPPER_FILE, CAIRN_STORE, CAIRN_DATA, and CAIRN_Section__Key for any
/// setting), then the command line.
/// </summary>
internal static class CairnConfiguration
{
    private static readonly Dictionary<string, string> NamedVariables = new(StringComparer.Ordinal)
    {
        ["CAIRN_ADMIN_TOKEN"] = $"{AccessOptions.SectionName}:{nameof(AccessOptions.AdminToken)}",
        ["CAIRN_PEPPER"] = $"{IdentityOptions.SectionName}:{nameof(IdentityOptions.Pepper)}",
        ["CAIRN_PEPPER_FILE"] = $"{IdentityOptions.SectionName}:{nameof(IdentityOptions.PepperFile)}",
        ["CAIRN_STORE"] = $"{StorageOptions.SectionName}:{nameof(StorageOptions.Store)}",
        ["CAIRN_DATA"] = $"{StorageOptions.SectionName}:{nameof(StorageOptions.DataDirectory)}",
    };

    public static void Apply(IConfigurationBuilder configuration, string? dataDirectory, string? store, IReadOnlyDictionary<string, string?>? overrides)
    {
        configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Information",
            // Request logging would write query strings, which can hold a raw player id.
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
            ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information",
        });
        configuration.AddEnvironmentVariables("CAIRN_");
        var named = new Dictionary<string, string?>();
        foreach (var (variable, key) in NamedVariables)
        {
            if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value)
            {
                named[key] = value;
            }
        }
        if (dataDirectory is not null)
        {
            named[$"{StorageOptions.SectionName}:{nameof(StorageOptions.DataDirectory)}"] = dataDirectory;
        }
        if (store is not null)
        {
            named[$"{StorageOptions.SectionName}:{nameof(StorageOptions.Store)}"] = store;
        }
        configuration.AddInMemoryCollection(named);
        if (overrides is not null)
        {
            configuration.AddInMemoryCollection(overrides);
        }
    }

    /// <summary>Opens the configured store and brings its schema up to date (for offline commands).</summary>
    public static async Task<IEventStore> OpenStoreAsync(StorageOptions options, CancellationToken cancellationToken)
    {
        var store = CreateStore(options);
        await store.MigrateAsync(cancellationToken);
        return store;
    }

    public static IEventStore CreateStore(StorageOptions options) => options.Store.ToLowerInvariant() switch
    {
        "sqlite" => new Storage.Sqlite.SqliteStore(Microsoft.Extensions.Options.Options.Create(options)),
        _ => throw new InvalidOperationException(
            "The configured store is not one this build knows. This build supports 'sqlite' (the default); PostgreSQL support is planned."),
    };
}
