using System.Security.Cryptography;
using System.Text;
using Cairn.Tests.Support;

namespace Cairn.Tests.Import;

/// <summary>
/// The real <c>cairn import</c> process on a store; a subclass per store says which. The machine's time zone is
/// set per process (<c>TZ</c>), because <see cref="TimeZoneInfo.Local"/> is cached for the life of a process.
/// </summary>
public abstract class ImportCommandTests : IAsyncLifetime
{
    private const string Org = "org-import";

    private static readonly string[] MachineZones = ["UTC", "America/Chicago", "Asia/Tokyo"];

    private string? _store;

    private protected TempDirectory Root { get; } = new();

    private string DataDirectory => Root.Combine("data");

    private StoreSql Sql => new(Path.Combine(DataDirectory, "cairn.db"), string.IsNullOrEmpty(_store) ? null : _store);

    /// <summary>The <c>--store</c> of the subclass's kind (a new empty database), or null for the SQLite file in the data directory.</summary>
    private protected abstract Task<string?> CreateStoreAsync();

    public Task InitializeAsync() => Task.CompletedTask;

    public virtual Task DisposeAsync()
    {
        Root.Dispose();
        return Task.CompletedTask;
    }

    private async Task<CairnCli.Result> ImportAsync(string timeZone, string file, params string[] options)
    {
        _store ??= await CreateStoreAsync() ?? "";
        string[] store = _store.Length > 0 ? ["--store", _store] : [];
        var result = await CairnCli.RunAsync(Root.Path, new Dictionary<string, string> { ["TZ"] = timeZone },
            ["import", file, "--org", Org, "--data", DataDirectory, "--quiet", "--no-jobs", .. store, .. options]);
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode} under TZ={timeZone}:\n{result.Output}\n{result.Error}");
        return result;
    }

    private string Write(string name, string content)
    {
        var path = Root.Combine(name);
        File.WriteAllText(path, content);
        return path;
    }

    [SkippableFact]
    public async Task Issue_7_import_stores_the_same_instants_whatever_the_machine_time_zone()
    {
        // Every row is 12:30:07Z: offsets written in the text (the format's z, or RFC 3339 left to validation), or a
        // zone-less time in the mapping's "+2".
        var withOffsets = Write("offsets.csv", "id,at\n" +
            "z0,2024-03-05 12:30:07 UTC+0\nz2,2024-03-05 14:30:07 UTC+2\nz-5,2024-03-05 07:30:07 UTC-5\n" +
            "rfc-z,2024-03-05T12:30:07Z\nrfc-9,2024-03-05T21:30:07+09:00\n");
        var offsetsMapping = Write("offsets.yaml", """
            game: g
            fields: { eventId: "{id}", timestamp: at }
            constants: { eventType: tick, playerId: tz.player@example.com }
            timestamp: { format: "yyyy-MM-dd HH:mm:ss 'UTC'z", zone: "+0200" }
            """);
        var zoneless = Write("zoneless.csv", "id,at\nplus2,2024-03-05 14:30:07\n");
        var zonelessMapping = Write("zoneless.yaml", """
            game: g
            fields: { eventId: "{id}", timestamp: at }
            constants: { eventType: tick, playerId: tz.player@example.com }
            timestamp: { format: "yyyy-MM-dd HH:mm:ss", zone: "+2" }
            """);

        var outputs = new List<string>();
        foreach (var (zone, i) in MachineZones.Select((z, i) => (z, i)))
        {
            outputs.Add((await ImportAsync(zone, withOffsets, "--mapping", offsetsMapping, "--source", $"offsets-{i}")).Output);
            outputs.Add((await ImportAsync(zone, zoneless, "--mapping", zonelessMapping, "--source", $"zoneless-{i}")).Output);
        }

        var instant = new DateTimeOffset(2024, 3, 5, 12, 30, 7, TimeSpan.Zero);
        Assert.All(outputs, output => Assert.Contains("rejected   0", output, StringComparison.Ordinal));
        Assert.Equal(MachineZones.Length * 6, Sql.Scalar("SELECT COUNT(*) FROM events;"));
        Assert.Empty(Sql.Column($"SELECT source || ': ' || event_id FROM events WHERE ts <> {Sql.Time(instant)} ORDER BY 1;"));
    }

    [SkippableFact]
    public async Task Issue_7_shipped_waves_mapping_keys_event_ids_with_the_pepper_and_a_reimport_stores_nothing_new()
    {
        var file = SharedData.RequireWavesSample();
        var rows = Tsv.Parse(await File.ReadAllTextAsync(file));
        var repository = SharedData.RepositoryRoot();
        string[] options = ["--mapping", Path.Combine(repository, "mappings", "waves.yaml"), "--catalogs", Path.Combine(repository, "catalogs")];
        var pepper = Encoding.UTF8.GetBytes(TestServer.Pepper);
        var expected = rows.Select(r => $"{KeyedHash(pepper, Org, r["session_id"])}-{r["index"]}").Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal).ToList();
        var plainHashes = rows.Select(r => r["session_id"]).Distinct(StringComparer.Ordinal)
            .Select(s => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(s)))[..20]).ToList();

        await ImportAsync("America/Chicago", file, options);
        var again = await ImportAsync("Asia/Tokyo", file, options);

        var ids = Sql.Column("SELECT event_id FROM events;");
        Assert.Equal(expected, ids.Order(StringComparer.Ordinal));
        Assert.DoesNotContain(ids, id => plainHashes.Any(h => id.Contains(h, StringComparison.Ordinal)));
        Assert.Contains("accepted   0", again.Output, StringComparison.Ordinal);
        Assert.Contains($"duplicate  {rows.Count}", again.Output, StringComparison.Ordinal);
    }

    /// <summary><c>{hmac:col}</c> as docs/importing.md defines it, computed here without Cairn's code.</summary>
    private static string KeyedHash(byte[] pepper, string org, string value) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(pepper, Encoding.UTF8.GetBytes($"\0template\0{org}\0{value}")))[..32];
}
