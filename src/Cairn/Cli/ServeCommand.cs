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
        await using var app = CairnServer.Build(settings);
        await app.StartAsync();
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
