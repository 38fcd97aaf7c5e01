using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Cairn.Catalogs;
using Cairn.Demo;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cairn.Cli;

/// <summary>
/// <c>cairn simulate</c>: plays a simulated class against any running server (a demo, or a load generator).
/// With <c>--group</c> and an admin token it also creates the class and its roster, so the matrix shows it.
/// </summary>
internal static class SimulateCommand
{
    public static async Task<int> RunAsync(Args args, CancellationToken cancellationToken)
    {
        var url = new Uri(args.Option("url") ?? "http://127.0.0.1:5080/");
        var key = args.Option("key") ?? Environment.GetEnvironmentVariable("CAIRN_INGEST_KEY")
            ?? throw new UsageException("--key (an ingest key for the game) is required, or set CAIRN_INGEST_KEY");
        var game = args.Option("game") ?? "mhs";
        var studentCount = args.IntOption("students", 25, 1, 100_000);
        var speedText = args.Option("speed") ?? "30";
        var durationSeconds = args.IntOption("duration", 0, 0, 7 * 24 * 3600);
        var seed = args.IntOption("seed", 7, 0, int.MaxValue);
        var catalogs = args.Option("catalogs") ?? "catalogs";
        var group = args.Option("group");
        var org = args.Option("org");
        var adminToken = args.Option("admin-token") ?? Environment.GetEnvironmentVariable("CAIRN_ADMIN_TOKEN");
        args.RejectUnknown();
        if (!double.TryParse(speedText, NumberStyles.Float, CultureInfo.InvariantCulture, out var speed) || speed is < 0.1 or > 100_000)
        {
            throw new UsageException("--speed must be a number from 0.1 to 100000 (game seconds per real second)");
        }

        var registry = new CatalogRegistry(catalogs, NullLogger<CatalogRegistry>.Instance);
        registry.Reload();
        var catalog = registry.Current.For(game)
            ?? throw new UsageException($"no catalog for game '{game}' in '{catalogs}' (--catalogs DIR)");
        var students = SimStudent.Class(studentCount, seed, catalog.Points.Count);

        if (group is not null)
        {
            if (org is null || adminToken is null)
            {
                throw new UsageException("--group needs --org and an admin token (--admin-token or CAIRN_ADMIN_TOKEN) to create the class");
            }
            using var admin = new HttpClient { BaseAddress = url };
            admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
            (await admin.PostAsJsonAsync("/v1/groups", new { id = group, org, game, name = group, teachers = Array.Empty<string>() }, cancellationToken))
                .EnsureSuccessStatusCode();
            (await admin.PutAsJsonAsync($"/v1/groups/{Uri.EscapeDataString(group)}/members",
                students.Select(s => new { playerId = s.PlayerId, displayName = s.DisplayName }), cancellationToken)).EnsureSuccessStatusCode();
            Console.WriteLine($"simulate: class '{group}' with {students.Count} students: {url}groups/{Uri.EscapeDataString(group)}");
        }

        using var ingest = new HttpClient { BaseAddress = url };
        ingest.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var simulator = new Simulator(ingest, catalog, students, new SimClock(speed, TimeProvider.System), Console.Out, seed);
        Console.WriteLine($"simulate: {students.Count} students playing '{game}' at {speed}x against {url} (Ctrl+C to stop)");
        using var progress = new PeriodicTimer(TimeSpan.FromSeconds(5));
        var run = simulator.RunAsync(durationSeconds > 0 ? TimeSpan.FromSeconds(durationSeconds) : null, cancellationToken);
        while (!run.IsCompleted && await Task.WhenAny(run, progress.WaitForNextTickAsync(cancellationToken).AsTask()) != run)
        {
            Console.WriteLine($"simulate: {simulator.EventsSent} events sent");
        }
        try
        {
            await run;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        return 0;
    }
}
