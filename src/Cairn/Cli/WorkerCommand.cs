using Cairn.Hosting;
using Cairn.Jobs;

namespace Cairn.Cli;

/// <summary><c>cairn worker</c>: runs job workers only (no HTTP) against the configured store, until Ctrl+C.</summary>
internal static class WorkerCommand
{
    public static async Task<int> RunAsync(Args args)
    {
        var data = args.Option("data");
        var store = args.Option("store");
        var catalogs = args.Option("catalogs");
        var workers = args.IntOption("workers", 1, 1, 64);
        args.RejectUnknown();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [] });
        CairnConfiguration.Apply(builder.Configuration, data, store, new Dictionary<string, string?>
        {
            [$"{JobOptions.SectionName}:{nameof(JobOptions.Workers)}"] = workers.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        var startup = CairnServer.AddCairnCore(builder.Services, builder.Configuration, catalogs, production: false, withWorkers: true);
        // The worker's catalogs follow their files too, so a rule change reaches every process.
        builder.Services.AddHostedService<Catalogs.CatalogWatcher>();
        using var host = builder.Build();
        startup.Report(host.Services, console: null);
        Console.WriteLine($"cairn worker: {workers} worker loop(s) on the {startup.Storage.Store} store (Ctrl+C to stop).");
        await host.RunAsync();
        return 0;
    }
}
