using System.Net;
using System.Text.Json;
using Cairn.Rollups;
using Cairn.Rollups.Storage;
using Cairn.Storage;
using Cairn.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Tests.Rollups;

/// <summary>
/// Issue #12, rollups and risk over HTTP: LMS events and a game event in, the server's own workers, the class dashboard
/// out; a subclass per store says how to start the server.
/// </summary>
public abstract class DashboardHttpTests : IAsyncLifetime
{
    private RiskClass _class = null!;

    private protected abstract Task<TestServer> StartServerAsync(IReadOnlyDictionary<string, string?> overrides, IReadOnlyDictionary<string, string> catalogs);

    public async Task InitializeAsync() => _class = await RiskClass.StartAsync(StartServerAsync);

    public async Task DisposeAsync() => await _class.Server.DisposeAsync();

    private static string[] Codes(JsonElement dashboard, string name) =>
        dashboard.GetProperty("atRisk").EnumerateArray().Where(s => s.GetProperty("displayName").GetString() == name)
            .SelectMany(s => s.GetProperty("flags").EnumerateArray().Select(f => f.GetProperty("code").GetString()!)).Order(StringComparer.Ordinal).ToArray();

    private static JsonElement Flag(JsonElement dashboard, string name, string code) =>
        dashboard.GetProperty("atRisk").EnumerateArray().Single(s => s.GetProperty("displayName").GetString() == name)
            .GetProperty("flags").EnumerateArray().Single(f => f.GetProperty("code").GetString() == code);

    private static string[] Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];

    /// <summary>Every level count per standard, from each member's own mastery rows (the mastery API, not the rollup).</summary>
    private async Task<Dictionary<string, Dictionary<string, int>>> LevelsFromMasteryAsync(IEnumerable<string> students)
    {
        var levels = new Dictionary<string, Dictionary<string, int>>();
        var rows = new List<(string Student, string Standard, string Level)>();
        foreach (var student in students)
        {
            using var response = await _class.Server.GetAsAdminAsync($"/v1/players/{_class.Keys[student]}/mastery");
            using var body = await TestServer.ReadJsonAsync(response);
            rows.AddRange(body.RootElement.GetProperty("standards").EnumerateArray()
                .Select(s => (student, s.GetProperty("standardId").GetString()!, s.GetProperty("level").GetString()!)));
        }
        foreach (var standard in rows.Select(r => r.Standard).Distinct())
        {
            var counts = new Dictionary<string, int> { ["notStarted"] = 0, ["attempted"] = 0, ["familiar"] = 0, ["proficient"] = 0, ["mastered"] = 0 };
            foreach (var student in students)
            {
                var level = rows.FirstOrDefault(r => r.Student == student && r.Standard == standard).Level ?? "not started";
                counts[level == "not started" ? "notStarted" : level]++;
            }
            levels[standard] = counts;
        }
        return levels;
    }

    private static Dictionary<string, Dictionary<string, int>> LevelsOf(JsonElement dashboard) =>
        dashboard.GetProperty("standards").EnumerateArray().ToDictionary(s => s.GetProperty("standardId").GetString()!,
            s => s.GetProperty("levels").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32()));

    private static bool Same(Dictionary<string, Dictionary<string, int>> a, Dictionary<string, Dictionary<string, int>> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var other) && kv.Value.Count == other.Count && kv.Value.All(c => other.GetValueOrDefault(c.Key) == c.Value));

    private async Task<JsonElement> SettledAsync(string[] students)
    {
        var expected = RiskClass.Expected(students);
        var dashboard = await _class.DashboardUntilAsync(d => d.GetProperty("graded").GetInt32() == expected.Graded
            && d.GetProperty("assigned").GetInt32() == expected.Assigned && d.GetProperty("students").GetInt32() == students.Length
            && (!students.Contains("eli@school.example") || Codes(d, "Eli").Contains(RiskFlag.Stuck)), "every event");
        // Mastery rows are written by their own jobs: the rollup follows each (a mastery write queues the class's job).
        var levels = await LevelsFromMasteryAsync(students);
        return await _class.DashboardUntilAsync(d => Same(LevelsOf(d), levels), "the mastery levels of every member");
    }

    [SkippableFact]
    public async Task Issue_12_the_dashboard_totals_and_level_distributions_match_an_independent_computation()
    {
        var students = RiskClass.Students.Select(s => s.Id).ToArray();

        var dashboard = await SettledAsync(students);

        var expected = RiskClass.Expected(students);
        Assert.Equal(5, dashboard.GetProperty("students").GetInt32());
        Assert.Equal((double)expected.Graded / expected.Assigned, dashboard.GetProperty("completionRate").GetDouble(), 9);
        Assert.Equal(expected.Average, dashboard.GetProperty("averageScore").GetDouble(), 9);
        Assert.NotEqual(JsonValueKind.Null, dashboard.GetProperty("computedAt").ValueKind);
        var assignments = dashboard.GetProperty("assignments").EnumerateArray().ToDictionary(a => a.GetProperty("assignmentId").GetString()!);
        Assert.Equal(expected.PerAssignment.Keys.Order(), assignments.Keys.Order());
        foreach (var (id, (assigned, graded, average)) in expected.PerAssignment)
        {
            Assert.Equal(assigned, assignments[id].GetProperty("assigned").GetInt32());
            Assert.Equal(graded, assignments[id].GetProperty("graded").GetInt32());
            Assert.Equal(average!.Value, assignments[id].GetProperty("averageScore").GetDouble(), 9);
        }
        // asg-2 covers two standards for its three students: six (student, standard) pairs, shares of them.
        var asg2 = assignments["asg-2"];
        Assert.Equal(["NF.1", "NF.2"], Strings(asg2.GetProperty("standards")));
        Assert.Equal(6, asg2.GetProperty("levels").EnumerateObject().Sum(p => p.Value.GetInt32()));
        Assert.Equal(1.0, asg2.GetProperty("shares").EnumerateObject().Sum(p => p.Value.GetDouble()), 9);
        var nf1 = dashboard.GetProperty("standards").EnumerateArray().Single(s => s.GetProperty("standardId").GetString() == "NF.1");
        Assert.Equal(5, nf1.GetProperty("students").GetInt32());
        Assert.Equal((double)nf1.GetProperty("levels").GetProperty("notStarted").GetInt32() / 5, nf1.GetProperty("shares").GetProperty("notStarted").GetDouble(), 9);

        // Recent activity: the class's latest events, newest first, with the roster's names.
        var activity = dashboard.GetProperty("recentActivity").EnumerateArray().ToList();
        Assert.Equal(RiskClass.Lms.Length + 1, activity.Count);
        Assert.Equal(activity.Select(a => a.GetProperty("at").GetDateTimeOffset()).OrderDescending(), activity.Select(a => a.GetProperty("at").GetDateTimeOffset()));
        Assert.Contains(activity, a => a.GetProperty("displayName").GetString() == "Eli" && a.GetProperty("eventType").GetString() == "QuestStart");
    }

    [SkippableFact]
    public async Task Issue_12_each_risk_flag_fires_for_its_student_only_and_carries_its_evidence()
    {
        var dashboard = await SettledAsync([.. RiskClass.Students.Select(s => s.Id)]);

        Assert.Empty(Codes(dashboard, "Ana"));
        Assert.Equal([RiskFlag.CompletionBelowMedian, RiskFlag.ScoreTrendDown], Codes(dashboard, "Ben"));
        Assert.Equal([RiskFlag.CompletionBelowMedian, RiskFlag.MissingSubmissions], Codes(dashboard, "Cy"));
        Assert.Equal([RiskFlag.Inactive], Codes(dashboard, "Dee"));
        Assert.Equal([RiskFlag.Stuck], Codes(dashboard, "Eli"));

        var trend = Flag(dashboard, "Ben", RiskFlag.ScoreTrendDown);
        Assert.Equal(["asg-1", "asg-2"], Strings(trend.GetProperty("evidence").GetProperty("assignments")));
        Assert.Equal([85.0, 50.0], trend.GetProperty("evidence").GetProperty("scores").EnumerateArray().Select(s => s.GetDouble()));
        Assert.Contains("50 %", trend.GetProperty("reason").GetString(), StringComparison.Ordinal);
        var missing = Flag(dashboard, "Cy", RiskFlag.MissingSubmissions);
        Assert.Equal(["asg-1", "asg-2"], Strings(missing.GetProperty("evidence").GetProperty("assignments")));
        var below = Flag(dashboard, "Cy", RiskFlag.CompletionBelowMedian);
        // Completion rates 1, 2/3, 1/3, 1, 1: the median is 1.
        Assert.Equal(1.0, below.GetProperty("evidence").GetProperty("median").GetDouble(), 9);
        Assert.Equal(1.0 / 3, below.GetProperty("evidence").GetProperty("completionRate").GetDouble(), 9);
        Assert.Equal(["asg-1", "asg-2"], Strings(below.GetProperty("evidence").GetProperty("assignments")));
        var inactive = Flag(dashboard, "Dee", RiskFlag.Inactive);
        Assert.Equal(_class.Now.AddDays(-9.5).ToUnixTimeMilliseconds(), inactive.GetProperty("evidence").GetProperty("lastEventAt").GetDateTimeOffset().ToUnixTimeMilliseconds());
        var stuck = Flag(dashboard, "Eli", RiskFlag.Stuck);
        Assert.Equal(["quest"], Strings(stuck.GetProperty("evidence").GetProperty("points")));
        Assert.StartsWith("Started quest 5 days ago", stuck.GetProperty("reason").GetString(), StringComparison.Ordinal);
        // No raw identity in the answer: students are named by the roster's display names and their playerKeys.
        Assert.DoesNotContain("@school.example", dashboard.GetRawText(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Issue_12_time_based_flags_turn_on_as_the_clock_moves_without_new_events()
    {
        await SettledAsync([.. RiskClass.Students.Select(s => s.Id)]);
        var services = _class.Server.Services;
        var clock = new ManualTimeProvider(_class.Now);
        var reader = new DashboardReader(services.GetRequiredService<IRollupStore>(), services.GetRequiredService<IGroupStore>(),
            services.GetRequiredService<IEventLog>(), Microsoft.Extensions.Options.Options.Create(new RiskOptions()), clock);
        var group = (await services.GetRequiredService<IGroupStore>().GetGroupAsync(TestServer.Org, RiskClass.GroupId, CancellationToken.None))!;
        string[] CodesOf(GroupDashboard d, string name) => [.. d.AtRisk.Where(s => s.DisplayName == name).SelectMany(s => s.Flags.Select(f => f.Code)).Order(StringComparer.Ordinal)];

        var before = await reader.ReadAsync(group, CancellationToken.None);
        clock.Advance(TimeSpan.FromDays(1.5));
        var later = await reader.ReadAsync(group, CancellationToken.None);
        clock.Advance(TimeSpan.FromDays(6));
        var muchLater = await reader.ReadAsync(group, CancellationToken.None);

        // asg-3 was assigned to Ben 2 days ago: within the 3-day grace period now, missing 1.5 days later.
        Assert.DoesNotContain(RiskFlag.MissingSubmissions, CodesOf(before, "Ben"));
        Assert.Contains(RiskFlag.MissingSubmissions, CodesOf(later, "Ben"));
        Assert.Equal(["asg-3"], later.AtRisk.Single(s => s.DisplayName == "Ben").Flags.Single(f => f.Code == RiskFlag.MissingSubmissions).Evidence.Assignments);
        Assert.DoesNotContain(RiskFlag.Inactive, CodesOf(before, "Ana"));
        // 7.5 days on, nobody had an event in the last 7 days: with no classmate active, nobody is "inactive".
        Assert.All(muchLater.AtRisk, s => Assert.DoesNotContain(RiskFlag.Inactive, s.Flags.Select(f => f.Code)));
        Assert.Contains(RiskFlag.Inactive, CodesOf(later, "Dee"));
    }

    [SkippableFact]
    public async Task Issue_12_a_roster_change_recomputes_the_class_without_a_new_event()
    {
        await SettledAsync([.. RiskClass.Students.Select(s => s.Id)]);
        var remaining = RiskClass.Students.Select(s => s.Id).Where(id => id != "cy@school.example").ToArray();

        await _class.ReplaceRosterAsync(remaining);

        var expected = RiskClass.Expected(remaining);
        var dashboard = await _class.DashboardUntilAsync(d => d.GetProperty("students").GetInt32() == 4, "the class without Cy");
        Assert.Equal(expected.Assigned, dashboard.GetProperty("assigned").GetInt32());
        Assert.Equal(expected.Graded, dashboard.GetProperty("graded").GetInt32());
        Assert.Empty(Codes(dashboard, "Cy"));
    }

    [SkippableFact]
    public async Task Issue_12_erasing_a_student_removes_their_rollup_rows_and_the_class_recomputes_without_them()
    {
        await SettledAsync([.. RiskClass.Students.Select(s => s.Id)]);
        var cy = _class.Keys["cy@school.example"];
        Assert.Equal(1, _class.Server.Sql.Scalar($"SELECT COUNT(*) FROM rollup_students WHERE player_key = '{cy}'"));

        using var erase = await _class.Server.SendAsync(HttpMethod.Delete, $"/v1/players/cy%40school.example?org={TestServer.Org}", TestServer.AdminToken, null);
        Assert.Equal(HttpStatusCode.OK, erase.StatusCode);

        Assert.Equal(0, _class.Server.Sql.Scalar($"SELECT COUNT(*) FROM rollup_students WHERE player_key = '{cy}'"));
        var remaining = RiskClass.Students.Select(s => s.Id).Where(id => id != "cy@school.example").ToArray();
        var expected = RiskClass.Expected(remaining);
        var dashboard = await _class.DashboardUntilAsync(d => d.GetProperty("students").GetInt32() == 4, "the class without Cy");
        Assert.Equal(expected.Assigned, dashboard.GetProperty("assigned").GetInt32());
        Assert.Equal(expected.Average, dashboard.GetProperty("averageScore").GetDouble(), 9);
        Assert.DoesNotContain(cy, dashboard.GetRawText(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Issue_12_the_dashboard_of_a_group_that_does_not_exist_is_a_404_problem()
    {
        using var response = await _class.Server.GetAsAdminAsync("/v1/groups/no-such-class/dashboard");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
