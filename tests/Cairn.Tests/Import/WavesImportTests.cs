using System.Text;
using Cairn.Import;
using Cairn.Tests.Support;

namespace Cairn.Tests.Import;

/// <summary>Imports the real WAVES export with the repository's mapping; expectations come from reading the file here.</summary>
public sealed class WavesImportTests : IAsyncLifetime
{
    private readonly ImporterFixture _fixture = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _fixture.DisposeAsync();

    /// <summary>The data rows of a TSV with quoted fields, parsed here without the code under test.</summary>
    private static List<Dictionary<string, string>> ParseTsv(string text)
    {
        var records = new List<List<string>>();
        var record = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"' && field.Length == 0)
            {
                quoted = true;
            }
            else if (c == '\t')
            {
                record.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\n')
            {
                record.Add(field.ToString().TrimEnd('\r'));
                field.Clear();
                records.Add(record);
                record = [];
            }
            else
            {
                field.Append(c);
            }
        }
        if (field.Length > 0 || record.Count > 0)
        {
            record.Add(field.ToString());
            records.Add(record);
        }
        var header = records[0];
        return [.. records.Skip(1).Where(r => r.Count > 1).Select(r => header.Zip(r).ToDictionary(p => p.First, p => p.Second))];
    }

    [SkippableFact]
    public async Task Waves_export_imports_every_row_once_with_pseudonymous_players_and_no_personal_data()
    {
        var file = SharedData.RequireWavesSample();
        var rows = ParseTsv(await File.ReadAllTextAsync(file));
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
