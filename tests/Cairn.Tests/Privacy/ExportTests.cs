using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cairn.Tests.Support;

namespace Cairn.Tests.Privacy;

public sealed class ExportTests : IAsyncLifetime
{
    private const string GroupId = "class-x";
    private const string Formula = "=HYPERLINK(\"http://evil.example\",\"click\")";
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    private static readonly (string Id, string Name)[] Members = [("mia@school.example", Formula), ("noa@school.example", "Noa Novak")];
    private const string Outsider = "ola@school.example";

    private TestServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        var group = JsonSerializer.Serialize(new { id = GroupId, org = TestServer.Org, name = "Class X", game = TestServer.Game, teachers = new[] { "tx" } });
        using (var created = await _server.SendAsync(HttpMethod.Post, "/v1/groups", TestServer.AdminToken, group))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }
        using (var roster = await _server.SendAsync(HttpMethod.Put, $"/v1/groups/{GroupId}/members", TestServer.AdminToken,
            JsonSerializer.Serialize(Members.Select(m => new { playerId = m.Id, displayName = m.Name }))))
        {
            Assert.Equal(HttpStatusCode.OK, roster.StatusCode);
        }
        var events = new List<JsonObject>();
        foreach (var player in Members.Select(m => m.Id).Append(Outsider))
        {
            for (var hour = 0; hour < 4; hour++)
            {
                var e = Events.Canonical($"{player[..3]}-{hour}", player, T0.AddHours(hour));
                e["sessionId"] = "=1+2";
                events.Add(e);
            }
        }
        using (await _server.IngestAsync(Events.Array([.. events])))
        {
        }
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<string> ExportAsync(string query, string token = TestServer.AdminToken)
    {
        using var response = await _server.SendAsync(HttpMethod.Get, "/v1/export/" + query, token, null);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{query}: {(int)response.StatusCode} {text}");
        return text;
    }

    private static List<List<string>> ParseCsv(string text) => Tsv.Records(text, ',');

    private static List<Dictionary<string, string>> Records(List<List<string>> rows) =>
        rows.Skip(1).Select(r => rows[0].Zip(r).ToDictionary(p => p.First, p => p.Second)).ToList();

    [Fact]
    public async Task Csv_and_json_exports_filter_by_group_and_time_and_agree()
    {
        var query = $"group={GroupId}&since={Uri.EscapeDataString(T0.AddHours(1).ToString("O"))}&until={Uri.EscapeDataString(T0.AddHours(3).ToString("O"))}";

        var csv = Records(ParseCsv(await ExportAsync("events?format=csv&" + query)));
        var json = JsonDocument.Parse(await ExportAsync("events?format=json&" + query)).RootElement.EnumerateArray().ToList();

        string[] expected = ["mia-1", "mia-2", "noa-1", "noa-2"];
        Assert.Equal(expected, csv.Select(r => r["eventId"]).Order(StringComparer.Ordinal));
        Assert.Equal(expected, json.Select(r => r.GetProperty("eventId").GetString()).Order(StringComparer.Ordinal));
        Assert.All(json, r => Assert.Equal(3, r.GetProperty("data").GetProperty("level").GetInt32()));
    }

    [Fact]
    public async Task Exports_hold_player_keys_only_unless_names_are_asked_for()
    {
        var keys = new[] { await _server.PlayerKeyAsync(Members[0].Id), await _server.PlayerKeyAsync(Members[1].Id) };

        var plain = await ExportAsync($"events?format=json&group={GroupId}");
        var named = JsonDocument.Parse(await ExportAsync($"events?format=json&group={GroupId}&names=true")).RootElement.EnumerateArray().ToList();

        Assert.All(Members, m => Assert.DoesNotContain(m.Id, plain, StringComparison.Ordinal));
        Assert.DoesNotContain("Noa Novak", plain, StringComparison.Ordinal);
        Assert.All(JsonDocument.Parse(plain).RootElement.EnumerateArray(), r =>
        {
            Assert.Contains(r.GetProperty("playerKey").GetString(), keys);
            Assert.False(r.TryGetProperty("playerId", out _));
        });
        Assert.Contains(named, r => r.GetProperty("playerId").GetString() == "noa@school.example" && r.GetProperty("displayName").GetString() == "Noa Novak");
        Assert.DoesNotContain(named, r => r.GetProperty("playerId").GetString() == Outsider);
    }

    [Fact]
    public async Task A_csv_cell_starting_with_a_formula_character_is_neutralized()
    {
        var rows = ParseCsv(await ExportAsync($"events?format=csv&group={GroupId}&names=true"));

        var records = Records(rows);
        Assert.Contains(records, r => r["displayName"] == "'" + Formula);
        Assert.All(records, r => Assert.Equal("'=1+2", r["sessionId"]));
        Assert.All(rows.SelectMany(r => r), cell => Assert.False(cell.StartsWith('='), cell));
    }

    [Fact]
    public async Task A_large_export_streams_every_row()
    {
        const int Batches = 20, PerBatch = 1000;
        for (var b = 0; b < Batches; b++)
        {
            var batch = Enumerable.Range(0, PerBatch).Select(i => Events.Canonical($"big-{b}-{i}", "bulk@school.example", T0.AddDays(-1).AddSeconds(b * PerBatch + i))).ToArray();
            using var body = await _server.IngestAsync(Events.Array(batch));
            Assert.Equal(PerBatch, body.RootElement.GetProperty("accepted").GetInt32());
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/export/events?format=csv&until={Uri.EscapeDataString(T0.ToString("O"))}");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", TestServer.AdminToken);
        using var response = await _server.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(response.Content.Headers.ContentLength);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var lines = 0;
        while (await reader.ReadLineAsync() is { } line)
        {
            Assert.True(lines == 0 || line.StartsWith("big-", StringComparison.Ordinal), line);
            lines++;
        }
        Assert.Equal(Batches * PerBatch + 1, lines);

        var json = await ExportAsync($"events?format=json&until={Uri.EscapeDataString(T0.ToString("O"))}");
        Assert.Equal(Batches * PerBatch, JsonDocument.Parse(json).RootElement.GetArrayLength());
    }
}
