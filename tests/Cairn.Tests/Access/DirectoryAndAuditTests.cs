using System.Net;
using System.Text.Json;

namespace Cairn.Tests.Access;

public sealed class DirectoryAndAuditTests(AccessWorld world) : IClassFixture<AccessWorld>
{
    private async Task<(HttpStatusCode Status, string Body)> GetAsync(string role, string path)
    {
        using var response = await world.Server.SendAsync(HttpMethod.Get, path, world.Tokens[role], null);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private IEnumerable<string> IdentitiesOf(string groupId) =>
        AccessWorld.Groups[groupId].Members.SelectMany(m => new[] { m.Id, m.Name, world.Keys[m.Id] });

    [Theory]
    [InlineData("admin", true)]
    [InlineData("org-admin-A", true)]
    [InlineData("teacher-admin-A", true)]
    [InlineData("teacher-t1", true)]
    [InlineData("student", false)]
    [InlineData("org-admin-B", false)]
    public async Task Members_raw_ids_and_names_are_shown_only_to_roles_covering_the_group(string role, bool covers)
    {
        var (status, body) = await GetAsync(role, "/v1/groups/g1/members");

        Assert.Equal(covers ? HttpStatusCode.OK : HttpStatusCode.NotFound, status);
        foreach (var (id, name) in AccessWorld.Groups["g1"].Members)
        {
            Assert.Equal(covers, body.Contains(id, StringComparison.Ordinal));
            Assert.Equal(covers, body.Contains(name, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Exports_without_names_carry_player_keys_only_and_with_names_only_those_in_scope()
    {
        var (plainStatus, plain) = await GetAsync("teacher-t1", "/v1/export/events?format=csv");
        var (namedStatus, named) = await GetAsync("teacher-t1", "/v1/export/events?format=csv&names=true");

        Assert.Equal(HttpStatusCode.OK, plainStatus);
        Assert.Equal(HttpStatusCode.OK, namedStatus);
        Assert.StartsWith("eventId,eventType,timestamp,game,source,playerKey,sessionId", plain, StringComparison.Ordinal);
        Assert.StartsWith("eventId,eventType,timestamp,game,source,playerKey,playerId,displayName,sessionId", named, StringComparison.Ordinal);
        foreach (var (id, name) in AccessWorld.Groups["g1"].Members.Take(2))
        {
            Assert.Contains(world.Keys[id], plain, StringComparison.Ordinal);
            Assert.DoesNotContain(id, plain, StringComparison.Ordinal);
            Assert.DoesNotContain(name, plain, StringComparison.Ordinal);
            Assert.Contains(id, named, StringComparison.Ordinal);
            Assert.Contains(name, named, StringComparison.Ordinal);
        }
        foreach (var other in IdentitiesOf("g2").Concat(IdentitiesOf("gb")))
        {
            Assert.DoesNotContain(other, named, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Directory_reads_and_every_export_are_audited_without_any_identity_of_the_subjects()
    {
        var (_, before) = await GetAsync("admin", "/v1/admin/audit");
        var countBefore = JsonDocument.Parse(before).RootElement.GetProperty("entries").GetArrayLength();

        Assert.Equal(HttpStatusCode.OK, (await GetAsync("teacher-t1", "/v1/groups/g1/members")).Status);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("teacher-t1", "/v1/export/events?format=json&group=g1&names=true")).Status);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("student", "/v1/export/progress?format=csv&names=true")).Status);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("org-admin-A", "/v1/export/events?format=csv")).Status);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("admin", "/v1/export/progress?format=json&org=org-b&names=true")).Status);
        var (status, after) = await GetAsync("admin", "/v1/admin/audit");

        Assert.Equal(HttpStatusCode.OK, status);
        var entries = JsonDocument.Parse(after).RootElement.GetProperty("entries").EnumerateArray().ToList();
        var added = entries.Take(entries.Count - countBefore).Select(e => e.GetProperty("action").GetString()).Reverse().ToList();
        Assert.Equal(["directory.read", "export.events", "export.progress", "export.events", "export.progress"], added);
        Assert.All(entries, e => Assert.False(string.IsNullOrEmpty(e.GetProperty("actor").GetString())));
        // Roster changes name the playerKeys they added and removed (pseudonyms); nothing else names a subject at all.
        var notRosters = string.Join('\n', entries.Where(e => e.GetProperty("action").GetString() != "roster.replace").Select(e => e.GetRawText()));
        foreach (var group in new[] { "g1", "g2", "gb" })
        {
            foreach (var (id, name) in AccessWorld.Groups[group].Members)
            {
                Assert.DoesNotContain(id, after, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain(name, after, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain(world.Keys[id], notRosters, StringComparison.Ordinal);
            }
        }
    }
}
