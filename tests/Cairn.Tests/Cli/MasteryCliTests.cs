using System.Globalization;
using System.Text;
using Cairn.Mastery;
using Cairn.Tests.Mastery;
using Cairn.Tests.Support;

namespace Cairn.Tests.Cli;

/// <summary><c>cairn mastery fit</c> through the real process, on LMS grades imported with <c>cairn import</c>.</summary>
public sealed class MasteryCliTests
{
    [Fact]
    public async Task Issue_12_mastery_fit_prints_parameters_likelihood_and_auc_and_stores_a_version()
    {
        using var root = new TempDirectory();
        Directory.CreateDirectory(root.Combine("catalogs"));
        var lines = new StringBuilder();
        var students = BktFitterTests.Students(new BktParameters(0.3, 0.15, 0.2, 0.1), 120, 15, 3);
        for (var s = 0; s < students.Count; s++)
        {
            for (var n = 0; n < students[s].Length; n++)
            {
                lines.Append(CultureInfo.InvariantCulture, $$"""{"event_id":"s{{s}}-{{n}}","source":"lms","timestamp":"2026-01-05T08:{{n:00}}:{{s % 60:00}}Z","student_id":"stu-{{s}}","class_id":"c1","assignment_id":"a{{n}}","standard_ids":["NF.1"],"score":{{(students[s][n] ? 90 : 40)}}}""").Append('\n');
            }
        }
        await File.WriteAllTextAsync(root.Combine("lms.jsonl"), lines.ToString());
        var imported = await CairnCli.RunAsync(root.Path, "import", "lms.jsonl", "--org", "demo", "--game", "lms", "--data", "data", "--catalogs", "catalogs");
        Assert.True(imported.ExitCode == 0, imported.Output + imported.Error);

        var fit = await CairnCli.RunAsync(root.Path, "mastery", "fit", "--org", "demo", "--data", "data", "--catalogs", "catalogs");
        var again = await CairnCli.RunAsync(root.Path, "mastery", "fit", "--standard", "NF.1", "--min-players", "500", "--data", "data", "--catalogs", "catalogs");
        var wrong = await CairnCli.RunAsync(root.Path, "mastery", "fits", "--data", "data");

        Assert.True(fit.ExitCode == 0, fit.Output + fit.Error);
        Assert.Matches(@"demo lms NF\.1: version 1  prior 0\.\d{3}  learn 0\.\d{3}  guess 0\.\d{3}  slip 0\.\d{3}  forget 0\.000  log-likelihood -\d+\.\d\d  AUC 0\.\d{3} \(held out: \d+ players\)", fit.Output);
        Assert.Contains("120 row(s) queued", fit.Output, StringComparison.Ordinal);
        Assert.True(again.ExitCode == 0, again.Output + again.Error);
        Assert.Contains("NF.1: skipped", again.Output, StringComparison.Ordinal);
        Assert.Equal(2, wrong.ExitCode);
        Assert.Contains("expected 'cairn mastery fit", wrong.Error, StringComparison.Ordinal);
    }
}
