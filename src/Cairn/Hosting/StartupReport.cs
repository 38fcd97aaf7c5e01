using Cairn.Storage;

namespace Cairn.Hosting;

/// <summary>What start-up decided, told once the host is built (never the secrets themselves, but a generated dev token).</summary>
internal sealed record StartupReport(StorageOptions Storage, int PepperVersion, string PepperOrigin, string? GeneratedAdminToken)
{
    /// <param name="console">Where a generated admin token is printed; null for a process without HTTP (<c>cairn worker</c>),
    /// which has no use for one and so neither prints nor mentions it.</param>
    public void Report(IServiceProvider services, TextWriter? console)
    {
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Cairn");
        Log.StoreOpened(logger, CairnConfiguration.IsSqlite(Storage) ? "sqlite" : "postgresql", CairnConfiguration.Describe(Storage));
        Log.PepperFrom(logger, PepperOrigin, PepperVersion);
        if (GeneratedAdminToken is not null && console is not null)
        {
            Log.AdminTokenGenerated(logger);
            console.WriteLine($"Admin token for this run (set CAIRN_ADMIN_TOKEN to choose one): {GeneratedAdminToken}");
            // The sign-in page says nothing about this console (its visitors are teachers and students): it is said here.
            console.WriteLine("  Sign in to the class pages at /signin with it; give teachers and students read tokens (cairn keys create --role …).");
        }
    }
}
