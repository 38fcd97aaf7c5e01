using Cairn.Access;
using Cairn.Identity;
using Cairn.Storage;

namespace Cairn.Hosting;

/// <summary>
/// Configuration shared by every command: built-in defaults, then environment variables
/// (CAIRN_ADMIN_TOKEN, CAIRN_METRICS_TOKEN, CAIRN_PEPPER, CAIRN_PEPPER_FILE, CAIRN_STORE, CAIRN_DATA, and CAIRN_Section__Key for any
/// setting), then the command line.
/// </summary>
internal static class CairnConfiguration
{
    private static readonly Dictionary<string, string> NamedVariables = new(StringComparer.Ordinal)
    {
        ["CAIRN_ADMIN_TOKEN"] = $"{AccessOptions.SectionName}:{nameof(AccessOptions.AdminToken)}",
        ["CAIRN_METRICS_TOKEN"] = $"{AccessOptions.SectionName}:{nameof(AccessOptions.MetricsToken)}",
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

    /// <summary>Opens the configured store with the shipped projections and brings its schema up to date (for offline commands).</summary>
    public static async Task<Stores> OpenStoreAsync(StorageOptions options, CancellationToken cancellationToken)
    {
        var stores = CreateStore(options);
        await stores.Schema.MigrateAsync(cancellationToken);
        return stores;
    }

    /// <summary>The configured store with the shipped projections (<see cref="Features.Projections"/>), not yet migrated.</summary>
    public static Stores CreateStore(StorageOptions options) => Stores.Open(options, Features.Projections);

    public static bool IsSqlite(StorageOptions options) => options.Store.Equals("sqlite", StringComparison.OrdinalIgnoreCase);

    public static bool IsPostgres(StorageOptions options) =>
        options.Store.Contains('=', StringComparison.Ordinal) && options.Store.Contains("host", StringComparison.OrdinalIgnoreCase);

    /// <summary>Where the store is, for logs: a path, or host:port/database without credentials.</summary>
    public static string Describe(StorageOptions options) =>
        IsSqlite(options) ? Path.GetFullPath(options.SqlitePath) : IsPostgres(options) ? Storage.Postgres.PostgresDatabase.Describe(options.Store) : "(unknown)";
}
