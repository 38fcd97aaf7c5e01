using Cairn.Hosting;

namespace Cairn.Cli;

/// <summary><c>cairn serve</c>: runs the HTTP service until Ctrl+C.</summary>
internal static class ServeCommand
{
    public static async Task<int> RunAsync(Args args)
    {
        var settings = new ServeSettings
        {
            DataDirectory = args.Option("data"),
            Port = args.IntOption("port", 5080, 0, 65535),
            Host = args.Option("host") ?? "127.0.0.1",
            Store = args.Option("store"),
            CatalogsDirectory = args.Option("catalogs"),
            Demo = args.Flag("demo"),
            Production = args.Flag("production"),
        };
        args.RejectUnknown();
        // Checked before anything is written: a data directory already in use (SQLite), then the port.
        var storage = Offline.Storage(settings.DataDirectory, settings.Store);
        var sqlite = CairnConfiguration.IsSqlite(storage);
        using var dataLock = sqlite && Directory.Exists(storage.DataDirectory) ? DataDirectoryLock.Acquire(storage.DataDirectory) : null;
        PortCheck.EnsureFree(settings.Host, settings.Port);
        using var newDataLock = sqlite && dataLock is null ? DataDirectoryLock.Acquire(storage.DataDirectory) : null;

        await using var app = CairnServer.Build(settings);
        try
        {
            await app.StartAsync();
        }
        catch (Exception ex) when (PortCheck.IsAddressInUse(ex))
        {
            throw new InvalidOperationException(
                $"port {settings.Port} on {settings.Host} is already in use; stop what uses it, or choose another port with --port N");
        }
        var address = CairnServer.ListeningAddress(app);
        Console.WriteLine($"Cairn is listening on {address} (Ctrl+C to stop).");
        var simulation = Task.CompletedTask;
        if (settings.Demo)
        {
            var hint = app.Services.GetRequiredService<Hosting.StartupReport>().GeneratedAdminToken is { } token
                ? $"the admin token {token}"
                : "your CAIRN_ADMIN_TOKEN";
            // Demo:Speed (game seconds per real second) lets a test or an impatient visitor fast-forward the class.
            var speed = app.Configuration.GetValue("Demo:Speed", 30.0);
            simulation = await Demo.DemoRunner.RunAsync(app, address, Console.Out, hint, app.Lifetime.ApplicationStopping, speed);
        }
        await app.WaitForShutdownAsync();
        await simulation;
        return 0;
    }
}
