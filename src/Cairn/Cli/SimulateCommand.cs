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
        if (args.Flag("lms"))
        {
            return await RunLmsAsync(args, cancellationToken);
        }
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
        await EnsureServerAsync(url, cancellationToken);

        if (group is not null)
        {
            if (org is null || adminToken is null)
            {
                throw new UsageException("--group needs --org and an admin token (--admin-token or CAIRN_ADMIN_TOKEN) to create the class");
            }
            using var admin = new HttpClient { BaseAddress = url };
            admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
            await EnsureAsync(await admin.PostAsJsonAsync("/v1/groups", new { id = group, org, game, name = group, teachers = Array.Empty<string>() }, cancellationToken),
                "create the class", cancellationToken);
            await EnsureAsync(await admin.PutAsJsonAsync($"/v1/groups/{Uri.EscapeDataString(group)}/members",
                students.Select(s => new { playerId = s.PlayerId, displayName = s.DisplayName }), cancellationToken), "set the class's roster", cancellationToken);
            Console.WriteLine($"simulate: class '{group}' with {Students(students.Count)}: {url}groups/{Uri.EscapeDataString(group)}");
        }

        using var ingest = new HttpClient { BaseAddress = url };
        ingest.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var simulator = new Simulator(ingest, catalog, students, new SimClock(speed, TimeProvider.System), Console.Out, seed);
        Console.WriteLine($"simulate: {Students(students.Count)} playing '{game}' at {speed}x against {url} (Ctrl+C to stop)");
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
        if (simulator.Refusal is { } refusal)
        {
            Console.Error.WriteLine($"cairn: {refusal}");
            Console.Error.WriteLine("cairn: give an ingest key for this game that this server's store knows (cairn keys create --org ORG --game GAME with the server's --data or --store)");
            return 1;
        }
        return 0;
    }

    /// <summary><c>cairn simulate --lms</c>: a class of an LMS through a term (<see cref="LmsSimulator"/>).</summary>
    private static async Task<int> RunLmsAsync(Args args, CancellationToken cancellationToken)
    {
        var url = new Uri(args.Option("url") ?? "http://127.0.0.1:5080/");
        var key = args.Option("key") ?? Environment.GetEnvironmentVariable("CAIRN_INGEST_KEY")
            ?? throw new UsageException("--key (an ingest key for the game) is required, or set CAIRN_INGEST_KEY");
        var studentCount = args.IntOption("students", 25, 1, 5_000);
        var standards = args.IntOption("standards", 4, 1, 30);
        var assignments = args.IntOption("assignments", 16, 1, 365);
        var pauseMs = args.IntOption("pause", 1000, 0, 600_000);
        var seed = args.IntOption("seed", 7, 0, int.MaxValue);
        var classId = args.Option("group") ?? "lms-7b";
        args.RejectUnknown();
        if (!Access.AdminApi.Identifier().IsMatch(classId))
        {
            throw new UsageException("--group must be a class id: letters, digits, '_', '.', '-', up to 64 characters");
        }
        await EnsureServerAsync(url, cancellationToken);
        using var ingest = new HttpClient { BaseAddress = url };
        ingest.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var simulator = new LmsSimulator(ingest, new LmsClass(studentCount, standards, assignments, seed), classId,
            TimeSpan.FromMilliseconds(pauseMs), TimeProvider.System, Console.Out);
        try
        {
            await simulator.RunAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        if (simulator.Refusal is { } refusal)
        {
            Console.Error.WriteLine($"cairn: {refusal}");
            return 1;
        }
        return 0;
    }

    /// <summary>No server at the URL is said once, not as a run of failed requests that ends in "0 events sent".</summary>
    private static async Task EnsureServerAsync(Uri url, CancellationToken cancellationToken)
    {
        using var probe = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(10) };
        try
        {
            using var response = await probe.GetAsync("health/live", cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new InvalidOperationException($"no server answers at {url} ({ex.Message}); start one with 'cairn serve', or give its address with --url");
        }
    }

    private static string Students(int count) => count == 1 ? "1 student" : $"{count} students";

    /// <summary>A refused admin call ends the command with the server's reason rather than a stack trace.</summary>
    private static async Task EnsureAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        using (response)
        {
            if (response.IsSuccessStatusCode)
            {
                return;
            }
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            string? detail = null;
            try
            {
                using var problem = System.Text.Json.JsonDocument.Parse(body);
                detail = problem.RootElement.TryGetProperty("detail", out var d) ? d.GetString() : null;
            }
            catch (System.Text.Json.JsonException)
            {
            }
            throw new InvalidOperationException($"the server refused to {what} ({(int)response.StatusCode} {response.ReasonPhrase}){(detail is null ? "" : ": " + detail)}");
        }
    }
}
