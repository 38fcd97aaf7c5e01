using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cairn.Mastery;
using Cairn.Rollups;
using Cairn.Storage;
using Cairn.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Tests.Rollups;

/// <summary>
/// Issue #12: what queues a class's rollup job (playerKey '', key: the group id), step by step with no worker running:
/// a roster change, a member's mastery write, and a member's LMS event through their own job. A subclass per store.
/// </summary>
public abstract class RollupTriggerTests
{
    private protected abstract Task<TestServer> StartServerAsync(IReadOnlyDictionary<string, string?> overrides, IReadOnlyDictionary<string, string> catalogs);

    [SkippableFact]
    public async Task Issue_12_a_roster_a_mastery_write_and_an_lms_event_each_queue_the_class_job_coalesced_into_one()
    {
        await using var server = await StartServerAsync(new Dictionary<string, string?> { ["Jobs:Workers"] = "0" },
            new Dictionary<string, string> { ["lms.yaml"] = RiskClass.Catalog });
        var queue = server.Services.GetRequiredService<IJobQueue>();
        using (var create = await server.SendAsync(HttpMethod.Post, "/v1/groups", TestServer.AdminToken,
            JsonSerializer.Serialize(new { id = "c1", org = TestServer.Org, name = "C1", game = RiskClass.Game, teachers = new[] { "t1" } })))
        {
            Assert.Equal(HttpStatusCode.Created, create.StatusCode);
        }
        string ClassJob() => $"SELECT COALESCE(MAX(version), 0) FROM jobs WHERE projection = 'rollups' AND player_key = '' AND job_key = 'c1' AND game = '{RiskClass.Game}'";
        Assert.Equal(0, server.Sql.Scalar(ClassJob()));

        using (var roster = await server.SendAsync(HttpMethod.Put, "/v1/groups/c1/members", TestServer.AdminToken, """[{"playerId":"ana@school.example"}]"""))
        {
            Assert.Equal(HttpStatusCode.OK, roster.StatusCode);
        }
        Assert.Equal(1, server.Sql.Scalar(ClassJob()));
        var first = await queue.ClaimJobsAsync("t", 100, TimeSpan.FromMinutes(5), DateTimeOffset.UtcNow.AddSeconds(1), CancellationToken.None);
        await queue.CompleteJobsAsync([.. first.Select(j => new JobCompletion(j, null))], "t", DateTimeOffset.UtcNow, CancellationToken.None);
        Assert.Equal(0, server.Sql.Scalar(ClassJob()));

        var graded = new JsonObject
        {
            ["event_id"] = "g-1", ["source"] = "canvas", ["student_id"] = "ana@school.example", ["class_id"] = "c1", ["assignment_id"] = "a-1",
            ["standard_ids"] = new JsonArray("NF.1"), ["score"] = 90,
            ["timestamp"] = DateTimeOffset.UtcNow.AddMinutes(-1).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        };
        using (var sent = await server.PostEventsAsync(Events.Array(graded), await server.CreateIngestKeyAsync(TestServer.Org, RiskClass.Game)))
        {
            Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        }
        var jobs = await queue.ClaimJobsAsync("t", 100, TimeSpan.FromMinutes(5), DateTimeOffset.UtcNow.AddSeconds(1), CancellationToken.None);
        var ana = await server.PlayerKeyAsync("ana@school.example");
        var mastery = Assert.Single(jobs, j => j.Projection == MasteryProjection.Name);
        var own = Assert.Single(jobs, j => j.Projection == RollupsProjection.Name);
        Assert.Equal((ana, RollupsProjection.ClassesKey), (own.PlayerKey, own.Key));
        Assert.Equal(0, server.Sql.Scalar(ClassJob()));

        var now = DateTimeOffset.UtcNow;
        await queue.CompleteJobsAsync([new JobCompletion(mastery, new MasteryRow(TestServer.Org, RiskClass.Game, ana, "NF.1", 0.6, "familiar", 1, 1, 1, 90, 90,
            now, now, "g-1", "default", now))], "t", now, CancellationToken.None);
        Assert.Equal(1, server.Sql.Scalar(ClassJob()));
        await queue.CompleteJobsAsync([new JobCompletion(own, null)], "t", now, CancellationToken.None);

        // The player's own job bumped the same class job: one job, run once, for both triggers.
        Assert.Equal(2, server.Sql.Scalar(ClassJob()));
        Assert.Equal(1, server.Sql.Scalar("SELECT COUNT(*) FROM jobs WHERE projection = 'rollups' AND player_key = ''"));
    }
}
