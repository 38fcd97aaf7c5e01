using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Cairn.Tests.Support;

namespace Cairn.Tests.Cli;

/// <summary>Issue #11: the CLI and start-up as a newcomer meets them, through the real <c>cairn</c> process.</summary>
public sealed class FirstHourCliTests
{
    private static string Catalogs => Path.Combine(SharedData.RepositoryRoot(), "catalogs");

    private const string FourMistakes = """
        game: broken
        titel: A typo at the top
        units:
          - id: U1
        points:
          - id: a
            unit: U9
            complete: { eventType: E }
          - id: b
            complete: { eventTyp: E }
          - id: c
            complete: { eventType: E }
            colour: green
        """;

    [Fact]
    public async Task Issue_11_catalog_check_takes_a_directory_and_reports_every_error_of_every_file()
    {
        using var root = new TempDirectory();
        var catalogs = root.Combine("catalogs");
        Directory.CreateDirectory(catalogs);
        File.Copy(Path.Combine(Catalogs, "mhs.yaml"), Path.Combine(catalogs, "mhs.yaml"));
        var broken = Path.Combine(catalogs, "broken.yaml");
        await File.WriteAllTextAsync(broken, FourMistakes);
        var other = Path.Combine(catalogs, "other.yml");
        await File.WriteAllTextAsync(other, "game: other\npoints:\n  - id: x\n");

        var result = await CairnCli.RunAsync(root.Path, "catalog", "check", "catalogs");

        Assert.True(result.ExitCode == 1, result.Output + result.Error);
        Assert.Contains("mhs.yaml: ok: game 'mhs', 3 units, 12 points", result.Output, StringComparison.Ordinal);
        var brokenFile = Path.Combine("catalogs", "broken.yaml");
        Assert.Contains($"{brokenFile}:2: unknown key 'titel' in the catalog", result.Error, StringComparison.Ordinal);
        Assert.Contains($"{brokenFile}:7: point 'a' names unit 'U9'", result.Error, StringComparison.Ordinal);
        Assert.Contains($"{brokenFile}:10: unknown key 'eventTyp'", result.Error, StringComparison.Ordinal);
        Assert.Contains($"{brokenFile}:13: unknown key 'colour' in a point", result.Error, StringComparison.Ordinal);
        Assert.Contains($"{Path.Combine("catalogs", "other.yml")}:3: point 'x' has no completion", result.Error, StringComparison.Ordinal);
        Assert.Contains("3 files checked: 2 with errors", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", result.Error, StringComparison.Ordinal);
    }

    public static TheoryData<string[]> Commands() => new()
    {
        new[] { "serve" }, new[] { "keys" }, new[] { "keys", "create" }, new[] { "keys", "list" }, new[] { "keys", "revoke" },
        new[] { "import" }, new[] { "worker" }, new[] { "simulate" }, new[] { "catalog", "check" }, new[] { "jobs", "dead" },
        new[] { "roster", "import" }, new[] { "erase" }, new[] { "purge" }, new[] { "export", "events" }, new[] { "rekey" },
    };

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task Issue_11_every_command_answers_help_with_its_own_usage_and_examples(string[] command)
    {
        using var root = new TempDirectory();

        var result = await CairnCli.RunAsync(root.Path, [.. command, "--help"]);

        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        Assert.StartsWith($"cairn {command[0]}", result.Output, StringComparison.Ordinal);
        Assert.Contains("Usage", result.Output, StringComparison.Ordinal);
        Assert.Contains("Example", result.Output, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(root.Path));
    }

    [Fact]
    public async Task Issue_11_help_of_a_verb_is_its_own_and_version_prints_the_version()
    {
        using var root = new TempDirectory();

        var create = await CairnCli.RunAsync(root.Path, "keys", "create", "--org", "demo", "--help");
        var version = await CairnCli.RunAsync(root.Path, "--version");
        var helpCommand = await CairnCli.RunAsync(root.Path, "help", "serve");

        Assert.Equal(0, create.ExitCode);
        Assert.StartsWith("cairn keys create:", create.Output, StringComparison.Ordinal);
        Assert.Contains("cairn keys create --org demo --game mhs", create.Output, StringComparison.Ordinal);
        Assert.Equal(0, version.ExitCode);
        Assert.Matches(@"^cairn \d+\.\d+\.\d+", version.Output);
        Assert.StartsWith("cairn serve:", helpCommand.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Issue_11_a_mistyped_flag_or_command_gets_a_did_you_mean()
    {
        using var root = new TempDirectory();

        var flag = await CairnCli.RunAsync(root.Path, "serve", "--prot", "5081");
        var lastFlag = await CairnCli.RunAsync(root.Path, "serve", "--dmeo");
        var command = await CairnCli.RunAsync(root.Path, "sevre");

        Assert.Equal(2, flag.ExitCode);
        Assert.Contains("unknown option: --prot (did you mean --port?)", flag.Error, StringComparison.Ordinal);
        Assert.Contains("cairn serve:", flag.Error, StringComparison.Ordinal);
        Assert.Equal(2, lastFlag.ExitCode);
        Assert.Contains("--dmeo (did you mean --demo?)", lastFlag.Error, StringComparison.Ordinal);
        Assert.Contains("unknown command 'sevre' (did you mean 'serve'?)", command.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(root.Path));
    }

    [Fact]
    public async Task Issue_11_a_port_in_use_is_one_line_naming_it_and_creates_no_data_directory()
    {
        using var root = new TempDirectory();
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var result = await CairnCli.RunAsync(root.Path, "serve", "--data", root.Combine("data"), "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"port {port} on 127.0.0.1 is already in use", line, StringComparison.Ordinal);
        Assert.Contains("--port", line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(root.Combine("data")), "the data directory was created");
    }

    [Fact]
    public async Task Issue_11_a_second_serve_on_the_same_data_directory_is_refused_naming_the_process_and_a_killed_one_leaves_no_stale_lock()
    {
        using var root = new TempDirectory();
        var data = root.Combine("data");
        using (var first = await CairnProcess.StartAsync(data, ["--catalogs", Catalogs]))
        {
            var second = await CairnCli.RunAsync(root.Path, new Dictionary<string, string> { ["CAIRN_ADMIN_TOKEN"] = TestServer.AdminToken },
                "serve", "--data", data, "--port", "0", "--catalogs", Catalogs);

            Assert.Equal(1, second.ExitCode);
            Assert.Contains($"the data directory {data} is in use by another cairn serve (process {first.ProcessId})", second.Error, StringComparison.Ordinal);
            Assert.DoesNotContain("listening", second.Output, StringComparison.Ordinal);
            first.Kill();
        }

        using var third = await CairnProcess.StartAsync(data, ["--catalogs", Catalogs]);
        Assert.Equal(HttpStatusCode.OK, (await third.Http.GetAsync("/health/live")).StatusCode);
    }

    [Fact]
    public async Task Issue_11_keys_create_names_its_store_and_a_key_of_another_store_gets_a_401_that_says_so()
    {
        using var root = new TempDirectory();
        var elsewhere = root.Combine("elsewhere");
        Directory.CreateDirectory(elsewhere);
        using var server = await CairnProcess.StartAsync(root.Combine("data"), ["--catalogs", Catalogs]);

        var created = await CairnCli.RunAsync(elsewhere, "keys", "create", "--org", "demo", "--game", "mhs", "--catalogs", Catalogs);
        using var response = await server.PostAsync(created.Output.Trim(), """{"eventType":"x","playerId":"p","game":"mhs","eventId":"1","timestamp":"2026-01-01T00:00:00Z"}""");
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.True(created.ExitCode == 0, created.Error);
        Assert.Contains($"in the store {Path.Combine(elsewhere, "data", "cairn.db")}", created.Error, StringComparison.Ordinal);
        Assert.Contains($"cairn serve --data {Path.Combine(elsewhere, "data")}", created.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("warning", created.Error, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("unknown to this server's store", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Issue_11_a_teacher_token_posted_to_events_is_told_it_is_a_teacher_token()
    {
        using var root = new TempDirectory();
        var data = root.Combine("data");
        using var server = await CairnProcess.StartAsync(data, ["--catalogs", Catalogs]);
        var teacher = await CairnCli.RunAsync(root.Path, "keys", "create", "--org", "demo", "--role", "teacher", "--teacher", "t1", "--data", data);

        using var response = await server.PostAsync(teacher.Output.Trim(), """{"eventType":"x","playerId":"p","game":"mhs","eventId":"1","timestamp":"2026-01-01T00:00:00Z"}""");
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.True(teacher.ExitCode == 0, teacher.Error);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var detail = problem.RootElement.GetProperty("detail").GetString();
        Assert.Contains("this is a teacher read token", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("admin token", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Issue_11_simulate_with_a_bad_key_stops_at_the_first_401_and_exits_non_zero()
    {
        using var root = new TempDirectory();
        using var server = await CairnProcess.StartAsync(root.Combine("data"), ["--catalogs", Catalogs]);

        var result = await CairnCli.RunAsync(root.Path, "simulate", "--url", server.Http.BaseAddress!.ToString(), "--key", "cik_not_a_key_of_this_store",
            "--catalogs", Catalogs, "--students", "1", "--speed", "5000", "--duration", "30");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("simulate: 1 student playing 'mhs'", result.Output, StringComparison.Ordinal);
        Assert.Contains("cairn: the server refused the ingest key (401 Unauthorized): This ingest key is unknown to this server's store", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("answered 401", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Issue_11_simulate_without_a_server_says_so_once_and_exits_non_zero()
    {
        using var root = new TempDirectory();
        var free = new TcpListener(IPAddress.Loopback, 0);
        free.Start();
        var port = ((IPEndPoint)free.LocalEndpoint).Port;
        free.Stop();

        var result = await CairnCli.RunAsync(root.Path, "simulate", "--url", $"http://127.0.0.1:{port}/", "--key", "cik_x", "--catalogs", Catalogs, "--duration", "30");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"cairn: no server answers at http://127.0.0.1:{port}/", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("events sent", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Issue_11_worker_without_an_admin_token_does_not_claim_to_have_printed_one()
    {
        using var root = new TempDirectory();
        using var worker = await CairnProcess.StartWorkerAsync(root.Combine("data"), ["--catalogs", Catalogs],
            new Dictionary<string, string> { ["CAIRN_ADMIN_TOKEN"] = "" });

        await worker.StopAsync();

        Assert.Contains("cairn worker: 1 worker loop(s)", worker.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("admin token", worker.Output, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Issue_11_keys_warn_of_an_unknown_game_and_say_when_an_org_has_none_and_erase_of_an_unknown_player_fails()
    {
        using var root = new TempDirectory();
        var data = root.Combine("data");

        var created = await CairnCli.RunAsync(root.Path, "keys", "create", "--org", "demo", "--game", "nosuchgame", "--data", data, "--catalogs", Catalogs);
        var list = await CairnCli.RunAsync(root.Path, "keys", "list", "--org", "nosuch", "--data", data);
        var erase = await CairnCli.RunAsync(root.Path, "erase", "--org", "demo", "--player", "student-nobody-knows", "--data", data);

        Assert.Equal(0, created.ExitCode);
        Assert.StartsWith("cik_", created.Output, StringComparison.Ordinal);
        Assert.Contains("warning: no catalog in", created.Error, StringComparison.Ordinal);
        Assert.Contains("defines game 'nosuchgame' (it defines mhs, waves, wylding-woods)", created.Error, StringComparison.Ordinal);
        Assert.Equal(0, list.ExitCode);
        Assert.Equal("", list.Output);
        Assert.Contains($"No keys for org 'nosuch' in the store {Path.Combine(data, "cairn.db")}", list.Error, StringComparison.Ordinal);
        Assert.Equal(1, erase.ExitCode);
        Assert.Contains("player not found", erase.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("erased:", erase.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("student-nobody-knows", erase.Output + erase.Error, StringComparison.Ordinal);
    }
}
