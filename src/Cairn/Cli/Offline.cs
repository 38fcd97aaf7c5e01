using Cairn.Hosting;
using Cairn.Identity;
using Cairn.Storage;

namespace Cairn.Cli;

/// <summary>Configuration for commands that open the store without a server (keys, import).</summary>
internal static class Offline
{
    public static IConfiguration Configuration(string? dataDirectory, string? store = null)
    {
        var builder = new ConfigurationBuilder();
        CairnConfiguration.Apply(builder, dataDirectory, store, overrides: null);
        return builder.Build();
    }

    public static StorageOptions Storage(string? dataDirectory, string? store = null) =>
        Configuration(dataDirectory, store).GetSection(StorageOptions.SectionName).Get<StorageOptions>() ?? new StorageOptions();

    public static IdentityOptions Identity(string? dataDirectory) =>
        Configuration(dataDirectory).GetSection(IdentityOptions.SectionName).Get<IdentityOptions>() ?? new IdentityOptions();
}
