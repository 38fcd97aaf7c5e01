using Cairn.Import;
using Cairn.Tests.Support;

namespace Cairn.Tests.Import;

/// <summary>Imports the real WAVES export with the repository's mapping; expectations come from reading the file here.</summary>
public sealed class WavesImportTests : IAsyncLifetime
{
    private readonly ImporterFixture _fixture = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _fixture.DisposeAsync();

    [SkippableFact]
    public async Task Waves_export_imports_every_row_once_with_pseudonymous_players_and_no_personal_data()
    {
        var file = SharedData.RequireWavesSample();
        var rows = Tsv.Parse(await File.ReadAllTextAsync(file));
        var distinctEvents = rows.Select(r => (r["session_id"], r["index"])).Distinct().Count();
        var sessions = rows.Select(r => r["session_id"]).Distinct(StringComparer.Ordinal).ToList();
        var mapping = ImportMapping.Load(Path.Combine(SharedData.RepositoryRoot(), "mappings", "waves.yaml"));
        Assert.NotEmpty(rows);

        var summary = await _fixture.ImportAsync(file, mapping);

        Assert.Equal(rows.Count, summary.Rows);
        Assert.True(summary.Rejected == 0, "rejected: " + string.Join(", ", summary.RejectedByReason.Select(r => $"{r.Key}={r.Value}")));
        Assert.Equal(distinctEvents, summary.Accepted);
        Assert.Equal(rows.Count - distinctEvents, summary.Duplicates);
        Assert.Equal(distinctEvents, Database.Scalar(_fixture.DatabasePath, "SELECT COUNT(*) FROM events;"));
        var playerKeys = Database.Column(_fixture.DatabasePath, "SELECT DISTINCT player_key FROM events;");
        Assert.Equal(sessions.Count, playerKeys.Count);
        Assert.Equal(sessions.Select(s => _fixture.PlayerKeys.Compute(ImporterFixture.Org, s)).Order(StringComparer.Ordinal), playerKeys.Order(StringComparer.Ordinal));

        var addresses = rows.Select(r => System.Text.Json.Nodes.JsonNode.Parse(r["event_data"])?["remote_addr"]?.GetValue<string>())
            .OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(addresses);
        // A plain hash of a session id is as good as the id: anyone can hash the candidates.
        var plainHashes = sessions.Select(s => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(s)))[..20]).ToList();
        var leaks = new List<string>();
        foreach (var (_, column, text) in Database.AllCells(_fixture.DatabasePath).Where(c => c.Table == "events"))
        {
            if (text.Contains("remote_addr", StringComparison.Ordinal) || addresses.Any(a => text.Contains(a, StringComparison.Ordinal)))
            {
                leaks.Add($"{column}: personal address");
            }
            if (sessions.FirstOrDefault(s => text.Contains(s, StringComparison.Ordinal)) is { } session)
            {
                leaks.Add($"{column}: raw session id {session}");
            }
            if (plainHashes.Any(h => text.Contains(h, StringComparison.Ordinal)))
            {
                leaks.Add($"{column}: unkeyed hash of a session id");
            }
        }
        Assert.Empty(leaks.Distinct().Take(10));
    }

    [SkippableFact]
    public async Task Waves_reimport_stores_nothing_new()
    {
        var file = SharedData.RequireWavesSample();
        var mapping = ImportMapping.Load(Path.Combine(SharedData.RepositoryRoot(), "mappings", "waves.yaml"));
        var first = await _fixture.ImportAsync(file, mapping);
        var stored = Database.Scalar(_fixture.DatabasePath, "SELECT COUNT(*) FROM events;");

        var second = await _fixture.ImportAsync(file, mapping, batchSize: 337);

        Assert.True(first.Accepted > 0);
        Assert.Equal(first.Rows, second.Rows);
        Assert.Equal(0, second.Accepted);
        Assert.Equal(second.Rows, second.Duplicates);
        Assert.Equal(stored, Database.Scalar(_fixture.DatabasePath, "SELECT COUNT(*) FROM events;"));
    }
}
