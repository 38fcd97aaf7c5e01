using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using Cairn.Demo;
using Cairn.Tests.Support;

namespace Cairn.Tests.Cli;

/// <summary>Issue 12: <c>cairn simulate --lms</c> against a real <c>cairn serve</c>, both real processes.</summary>
public sealed class LmsSimulateCliTests
{
    private const int Students = 16, Standards = 2, Assignments = 12, Seed = 11;

    private static async Task<JsonElement> GetAsync(CairnProcess server, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestServer.AdminToken);
        using var response = await server.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    [Fact]
    public async Task Issue_12_simulate_lms_grades_a_class_so_mastery_rises_for_skilled_students_and_some_drift()
    {
        using var root = new TempDirectory();
        using var server = await CairnProcess.StartAsync(root.Combine("data"));
        var key = await server.CreateKeyAsync();

        var result = await CairnCli.RunAsync(root.Path, "simulate", "--lms", "--url", server.Http.BaseAddress!.ToString(), "--key", key,
            "--students", $"{Students}", "--standards", $"{Standards}", "--assignments", $"{Assignments}", "--pause", "0", "--seed", $"{Seed}", "--group", "lms-sim");

        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        Assert.Contains($"simulate: assignment {Assignments}/{Assignments} (MATH.5.2):", result.Output, StringComparison.Ordinal);
        Assert.Contains("drifting (missing submissions, falling scores): ", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("@demo-school.example", result.Output + result.Error, StringComparison.Ordinal);

        // The same seed gives the same class and answers: replay it here to know who is skilled and what was graded.
        var lms = new LmsClass(Students, Standards, Assignments, Seed);
        var graded = new int[Students, Standards];
        for (var k = 0; k < Assignments; k++)
        {
            for (var s = 0; s < Students; s++)
            {
                graded[s, k % Standards] += lms.Work(s, k) is null ? 0 : 1;
            }
        }
        Assert.Contains(lms.Students, s => s.Drifts);
        var members = await GetAsync(server, "/v1/groups/lms-sim/members");
        Assert.Equal(Students, members.GetProperty("members").GetArrayLength());

        var strong = new List<double>();
        var weak = new List<double>();
        for (var s = 0; s < Students; s++)
        {
            var student = lms.Students[s];
            var lookup = await GetAsync(server, $"/v1/admin/players/lookup?org={TestServer.Org}&playerId={Uri.EscapeDataString(student.PlayerId)}");
            var playerKey = lookup.GetProperty("playerKey").GetString();
            var rows = await RowsAsync(server, playerKey!, s, graded);
            for (var j = 0; j < Standards; j++)
            {
                if (student.Drifts || !rows.TryGetValue(lms.Standards[j], out var p))
                {
                    continue;
                }
                (student.Skills[j] >= 0.7 ? strong : student.Skills[j] <= 0.3 ? weak : []).Add(p);
            }
        }
        Assert.NotEmpty(strong);
        Assert.NotEmpty(weak);
        // Up from the prior (0.2) for students who know their standards, and well above those who do not.
        Assert.True(strong.Average() >= 0.8, $"strong students' mean pMastery {strong.Average():0.000}");
        Assert.True(strong.Average() > weak.Average() + 0.3, $"strong {strong.Average():0.000}, weak {weak.Average():0.000}");
    }

    /// <summary>A student's pMastery per standard, once every graded submission of theirs is in its row (the worker runs behind).</summary>
    private static async Task<Dictionary<string, double>> RowsAsync(CairnProcess server, string playerKey, int s, int[,] graded)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var body = await GetAsync(server, $"/v1/players/{playerKey}/mastery");
            var rows = body.GetProperty("standards").EnumerateArray().ToDictionary(
                r => r.GetProperty("standardId").GetString()!, r => (P: r.GetProperty("pMastery").GetDouble(), N: r.GetProperty("observations").GetInt32()), StringComparer.Ordinal);
            var complete = Enumerable.Range(0, Standards).All(j => graded[s, j] == 0 || rows.TryGetValue($"MATH.5.{j + 1}", out var r) && r.N == graded[s, j]);
            if (complete)
            {
                return rows.ToDictionary(r => r.Key, r => r.Value.P, StringComparer.Ordinal);
            }
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"mastery rows never had every graded submission: {body}");
            await Task.Delay(100);
        }
    }
}
