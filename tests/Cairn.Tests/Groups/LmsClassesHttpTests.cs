using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cairn.Tests.Support;

namespace Cairn.Tests.Groups;

/// <summary>
/// Issue 12: an LMS event's <c>class_id</c> keeps the org's class rosters (created for the key's game unless the org's
/// <c>Orgs:{org}:AutoCreateClasses</c> is off); over HTTP, on each store (a subclass says which).
/// </summary>
public abstract class LmsClassesHttpTests
{
    private protected abstract Task<TestServer> StartServerAsync(IReadOnlyDictionary<string, string?>? overrides = null);

    private static JsonObject Graded(string id, string student, string classId) => new()
    {
        ["event_id"] = id,
        ["source"] = "canvas",
        ["timestamp"] = "2026-01-10T09:00:00Z",
        ["student_id"] = student,
        ["class_id"] = classId,
        ["assignment_id"] = "asg-1",
        ["standard_ids"] = new JsonArray("NF.1"),
        ["score"] = 80,
    };

    private static async Task<JsonElement[]> SendAsync(TestServer server, params JsonObject[] events)
    {
        using var response = await server.PostEventsAsync(Events.Array(events), server.IngestKey);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return [.. JsonDocument.Parse(text).RootElement.GetProperty("results").EnumerateArray().Select(r => r.Clone())];
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(TestServer server, string path)
    {
        using var response = await server.GetAsAdminAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length > 0 ? JsonDocument.Parse(text).RootElement.Clone() : default);
    }

    [SkippableFact]
    public async Task Issue_12_an_unknown_class_id_creates_the_class_for_the_keys_game_and_its_students_join_once()
    {
        await using var server = await StartServerAsync();

        var first = await SendAsync(server, Graded("e-1", "stu-1", "lms-7b"), Graded("e-2", "stu-2", "lms-7b"), Graded("e-3", "stu-1", "lms-7b"));
        var resent = await SendAsync(server, Graded("e-1", "stu-1", "lms-7b"), Graded("e-4", "stu-3", "lms-8a"));

        Assert.All(first, r => Assert.Equal("accepted", r.GetProperty("status").GetString()));
        Assert.All(first.Concat(resent), r => Assert.False(r.TryGetProperty("warnings", out _)));
        Assert.Equal("duplicate", resent[0].GetProperty("status").GetString());
        var (status, group) = await GetAsync(server, "/v1/groups/lms-7b");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal((TestServer.Game, "lms-7b"), (group.GetProperty("game").GetString(), group.GetProperty("name").GetString()));
        var (_, members) = await GetAsync(server, "/v1/groups/lms-7b/members");
        var keys = members.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("playerKey").GetString()).Order(StringComparer.Ordinal);
        Assert.Equal(new[] { await server.PlayerKeyAsync("stu-1"), await server.PlayerKeyAsync("stu-2") }.Order(StringComparer.Ordinal), keys);
        var (_, other) = await GetAsync(server, "/v1/groups/lms-8a/members");
        Assert.Equal([await server.PlayerKeyAsync("stu-3")], other.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("playerKey").GetString()));
    }

    [SkippableFact]
    public async Task Issue_12_with_automatic_creation_off_an_unknown_class_is_reported_per_event_and_the_event_stored()
    {
        await using var server = await StartServerAsync(new Dictionary<string, string?> { [$"Orgs:{TestServer.Org}:AutoCreateClasses"] = "false" });
        using (var create = await server.SendAsync(HttpMethod.Post, "/v1/groups", TestServer.AdminToken,
            $$"""{"id": "class-known", "org": "{{TestServer.Org}}", "name": "Known", "game": "{{TestServer.Game}}", "teachers": []}"""))
        {
            Assert.True(create.IsSuccessStatusCode, await create.Content.ReadAsStringAsync());
        }

        var results = await SendAsync(server, Graded("e-1", "stu-1", "class-unknown"), Graded("e-2", "stu-2", "class-known"));

        Assert.Equal(["accepted", "accepted"], results.Select(r => r.GetProperty("status").GetString()));
        var warning = Assert.Single(results[0].GetProperty("warnings").EnumerateArray()).GetString()!;
        Assert.Contains("\"class-unknown\"", warning, StringComparison.Ordinal);
        Assert.Contains("AutoCreateClasses", warning, StringComparison.Ordinal);
        Assert.DoesNotContain("stu-1", warning, StringComparison.Ordinal);
        Assert.False(results[1].TryGetProperty("warnings", out _));
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(server, "/v1/groups/class-unknown")).Status);
        var (_, members) = await GetAsync(server, "/v1/groups/class-known/members");
        Assert.Equal([await server.PlayerKeyAsync("stu-2")], members.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("playerKey").GetString()));
        var (_, timeline) = await GetAsync(server, $"/v1/players/{await server.PlayerKeyAsync("stu-1")}/events");
        Assert.Contains("e-1", timeline.GetRawText(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Issue_12_cairn_orgs_set_turns_automatic_class_creation_off_and_on_in_a_running_server()
    {
        await using var server = await StartServerAsync();
        var first = await SendAsync(server, Graded("e-0", "stu-1", "class-before"));
        Assert.False(first[0].TryGetProperty("warnings", out _));

        var off = await CairnCli.RunAsync(server.DataDirectory, "orgs", "set", "--org", TestServer.Org, "--auto-create-classes", "false", "--data", server.DataDirectory);
        Assert.True(off.ExitCode == 0, off.Output + off.Error);
        var (warned, classId) = await UntilAsync(server, "off", r => r.TryGetProperty("warnings", out _));
        var on = await CairnCli.RunAsync(server.DataDirectory, "orgs", "set", "--org", TestServer.Org, "--auto-create-classes", "true", "--data", server.DataDirectory);
        Assert.True(on.ExitCode == 0, on.Output + on.Error);
        var (created, createdId) = await UntilAsync(server, "on", r => !r.TryGetProperty("warnings", out _));

        Assert.Contains("AutoCreateClasses = false", off.Output, StringComparison.Ordinal);
        Assert.Contains($"\"{classId}\"", Assert.Single(warned.GetProperty("warnings").EnumerateArray()).GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(server, $"/v1/groups/{classId}")).Status);
        Assert.Equal("accepted", created.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(server, $"/v1/groups/{createdId}")).Status);
    }

    /// <summary>Sends an event naming a new class until its result fits (the server reloads orgs.json in the background).</summary>
    private static async Task<(JsonElement Result, string ClassId)> UntilAsync(TestServer server, string tag, Func<JsonElement, bool> until)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; ; i++)
        {
            var classId = $"class-{tag}-{i}";
            var result = (await SendAsync(server, Graded($"e-{tag}-{i}", "stu-2", classId)))[0];
            if (until(result))
            {
                return (result, classId);
            }
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"the server never applied the setting: {result}");
            await Task.Delay(200);
        }
    }
}
