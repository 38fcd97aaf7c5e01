using System.Net;
using System.Text.Json;
using Cairn.Tests.Support;

namespace Cairn.Tests.Access;

/// <summary>
/// Two orgs on one real server with the MHS catalog. Org A (<see cref="TestServer.Org"/>) has g1 (teacher t1) and g2
/// (teacher t2); org B has gb (teacher tb). Every group has members, some with progress, and there is a token per role.
/// Ada is also in gw, a class of org A for another game (waves, teacher t2), with progress there: teacher t1 covers her
/// only through g1, so only in mhs.
/// </summary>
public sealed class AccessWorld : IAsyncLifetime
{
    public const string OrgA = TestServer.Org;
    public const string OrgB = "org-b";
    public const string Game = "mhs";

    /// <summary>A class of org A in another game (waves, teacher t2) whose only member is <see cref="Student"/>.</summary>
    public const string WavesGroup = "gw";

    public const string WavesGame = "waves";

    /// <summary>Group id → (org, teacher, members as raw id and display name).</summary>
    public static readonly IReadOnlyDictionary<string, (string Org, string Teacher, (string Id, string Name)[] Members)> Groups =
        new Dictionary<string, (string, string, (string, string)[])>
        {
            ["g1"] = (OrgA, "t1", [("ada@a.example", "Ada Adams"), ("ben@a.example", "Ben Bauer"), ("eve@a.example", "Eve Erased")]),
            ["g2"] = (OrgA, "t2", [("cleo@a.example", "Cleo Costa"), ("dan@a.example", "Dan Dorn")]),
            ["gb"] = (OrgB, "tb", [("zed@b.example", "Zed Zorn"), ("yul@b.example", "Yul Young")]),
        };

    /// <summary>The student token belongs to Ada, a member of g1.</summary>
    public const string Student = "ada@a.example";

    internal TestServer Server { get; private set; } = null!;

    public string IngestKeyA { get; private set; } = null!;

    public string IngestKeyB { get; private set; } = null!;

    /// <summary>The standard the first member of each group has a mastery row of.</summary>
    public const string MasteredStandard = "S1";

    /// <summary>Role name → bearer token ("" for no token).</summary>
    public Dictionary<string, string> Tokens { get; } = new(StringComparer.Ordinal);

    /// <summary>Raw id → playerKey, for every member.</summary>
    public Dictionary<string, string> Keys { get; } = new(StringComparer.Ordinal);

    public async Task InitializeAsync()
    {
        var mhs = await File.ReadAllTextAsync(Path.Combine(SharedData.RepositoryRoot(), "catalogs", "mhs.yaml"));
        var waves = await File.ReadAllTextAsync(Path.Combine(SharedData.RepositoryRoot(), "catalogs", "waves.yaml"));
        Server = await TestServer.StartAsync(catalogs: new Dictionary<string, string> { ["mhs.yaml"] = mhs + "\nsessions: {}\n", ["waves.yaml"] = waves });
        IngestKeyA = await Server.CreateIngestKeyAsync(OrgA, Game);
        IngestKeyB = await Server.CreateIngestKeyAsync(OrgB, Game);
        foreach (var (id, group) in Groups)
        {
            await SendOkAsync(HttpMethod.Post, "/v1/groups", GroupBody(id), HttpStatusCode.Created);
            await SendOkAsync(HttpMethod.Put, $"/v1/groups/{id}/members", RosterBody(id), HttpStatusCode.OK);
            foreach (var (raw, _) in group.Members)
            {
                Keys[raw] = await Server.PlayerKeyAsync(raw, group.Org);
            }
        }
        Tokens["admin"] = TestServer.AdminToken;
        Tokens["org-admin-A"] = await CreateTokenAsync(new { org = OrgA, role = "org-admin" });
        Tokens["teacher-admin-A"] = await CreateTokenAsync(new { org = OrgA, role = "teacher-admin", teachers = new[] { "ta", "t1" } });
        Tokens["teacher-t1"] = await CreateTokenAsync(new { org = OrgA, role = "teacher", teachers = new[] { "t1" } });
        Tokens["student"] = await CreateTokenAsync(new { org = OrgA, role = "student", playerId = Student });
        Tokens["ingest"] = IngestKeyA;
        Tokens["none"] = "";
        Tokens["org-admin-B"] = await CreateTokenAsync(new { org = OrgB, role = "org-admin" });

        // Progress: U1.C1 (conversation 31, node 29) for one member of each group, and an event for every member.
        var now = DateTimeOffset.UtcNow;
        foreach (var (_, group) in Groups)
        {
            var key = group.Org == OrgA ? IngestKeyA : IngestKeyB;
            for (var i = 0; i < group.Members.Length; i++)
            {
                var node = i == 0 ? 29 : 1;
                var e = new { eventId = Events.NewId(), eventType = "DialogueEvent", timestamp = now.AddMinutes(-5 + i).ToString("O"), playerId = group.Members[i].Id, data = new { conversationId = 31, nodeId = node } };
                using var response = await Server.PostEventsAsync(JsonSerializer.Serialize(e), key);
                var body = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.OK && body.Contains("\"accepted\":1", StringComparison.Ordinal), body);
            }
            // Mastery: a concept the game reports mastered, for the first member of each group.
            var mastered = new { eventId = Events.NewId(), eventType = "concept_mastered", timestamp = now.AddMinutes(-5).ToString("O"), playerId = group.Members[0].Id, data = new { concept_tags = new[] { MasteredStandard } } };
            using (var response = await Server.PostEventsAsync(JsonSerializer.Serialize(mastered), key))
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
        }
        await SendOkAsync(HttpMethod.Post, "/v1/groups", JsonSerializer.Serialize(new { id = WavesGroup, org = OrgA, name = "Waves club", game = WavesGame, teachers = new[] { "t2" } }), HttpStatusCode.Created);
        await SendOkAsync(HttpMethod.Put, $"/v1/groups/{WavesGroup}/members", JsonSerializer.Serialize(new[] { new { playerId = Student, displayName = "Ada Adams" } }), HttpStatusCode.OK);
        var wavesKey = await Server.CreateIngestKeyAsync(OrgA, WavesGame);
        foreach (var (type, minutes) in new[] { ("BEGIN.0", -4), ("COMPLETE.0", -3) })
        {
            var e = new { eventId = "waves-" + type, eventType = type, timestamp = now.AddMinutes(minutes).ToString("O"), playerId = Student, data = new { level = 0 } };
            using var response = await Server.PostEventsAsync(JsonSerializer.Serialize(e), wavesKey);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        foreach (var (_, group) in Groups)
        {
            await WaitForProgressAsync(Keys[group.Members[0].Id]);
            await WaitForAsync(Keys[group.Members[0].Id], "mastery", MasteredStandard);
        }
        await WaitForProgressAsync(Keys[Student], "level-00");
    }

    public Task DisposeAsync() => Server.DisposeAsync().AsTask();

    public static string GroupBody(string id) =>
        JsonSerializer.Serialize(new { id, org = Groups[id].Org, name = "Class " + id, game = Game, teachers = new[] { Groups[id].Teacher } });

    public static string RosterBody(string id) =>
        JsonSerializer.Serialize(Groups[id].Members.Select(m => new { playerId = m.Id, displayName = m.Name }));

    public async Task<string> CreateTokenAsync(object request)
    {
        using var response = await Server.SendAsync(HttpMethod.Post, "/v1/admin/keys", TestServer.AdminToken, JsonSerializer.Serialize(request));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, text);
        using var body = JsonDocument.Parse(text);
        return body.RootElement.GetProperty("key").GetString()!;
    }

    private async Task SendOkAsync(HttpMethod method, string path, string body, HttpStatusCode expected)
    {
        using var response = await Server.SendAsync(method, path, TestServer.AdminToken, body);
        Assert.True(response.StatusCode == expected, $"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private Task WaitForProgressAsync(string playerKey, string pointId = "U1.C1") => WaitForAsync(playerKey, "progress", pointId);

    private async Task WaitForAsync(string playerKey, string read, string id)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            using var response = await Server.GetAsAdminAsync($"/v1/players/{playerKey}/{read}");
            if ((await response.Content.ReadAsStringAsync()).Contains(id, StringComparison.Ordinal))
            {
                return;
            }
            await Task.Delay(50);
        }
        Assert.Fail($"no {read} for {playerKey}");
    }
}
