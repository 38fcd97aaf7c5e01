using Cairn.Catalogs;
using Cairn.Tests.Support;

namespace Cairn.Tests.Catalogs;

/// <summary>Catalog rules (points, units, green bounds) are checked on load and reported as file:line: problem.</summary>
public sealed class CatalogValidationTests
{
    private const string Head = "game: t\npoints:\n  - id: a\n";

    private static string MhsText() => File.ReadAllText(Path.Combine(SharedData.RepositoryRoot(), "catalogs", "mhs.yaml"));

    [Theory]
    [InlineData(Head + "    complete: { eventType: E }\n    colour: red\n", 5, "unknown key 'colour' in a point")]
    [InlineData(Head + "    complete: { eventType: E, when: 1 }\n", 4, "unknown key 'when'")]
    [InlineData(Head + "    complete: { eventType: E }\n    green: { score: { max: 1 } }\n", 5, "unknown key 'score'")]
    [InlineData(Head + "    title: A\n", 3, "point 'a' has no completion")]
    [InlineData(Head + "    complete: { eventType: E }\n  - id: b\n    complete: { eventType: F }\n  - id: a\n    complete: { eventType: G }\n", 7, "duplicate point id 'a'")]
    [InlineData("game: t\nunits:\n  - { id: U1 }\n  - { id: U1, title: Again }\npoints: []\n", 4, "duplicate unit id 'U1'")]
    [InlineData("game: t\nunits:\n  - { id: U1 }\npoints:\n  - id: a\n    unit: U2\n    complete: { eventType: E }\n", 6, "names unit 'U2', which 'units' does not list")]
    [InlineData(Head + "    start: { eventType: S }\n    complete: { eventType: E }\n    green: { durationSeconds: { min: soon } }\n", 6, "min must be a number")]
    [InlineData(Head + "    start: { eventType: S }\n    complete: { eventType: E }\n    green: { durationSeconds: { max: \"300\" } }\n", 6, "max must be a number")]
    [InlineData(Head + "    start: { eventType: S }\n    complete: { eventType: E }\n    green:\n      durationSeconds:\n        max: -1\n", 8, "max must be a number")]
    [InlineData(Head + "    start: { eventType: S }\n    complete: { eventType: E }\n    green: { durationSeconds: { min: 10, max: 5 } }\n", 6, "min greater than max")]
    [InlineData(Head + "    complete: { eventType: E }\n    count: { eventType: C }\n    green: { count: {} }\n", 6, "needs 'min', 'max' or both")]
    [InlineData(Head + "    complete: { eventType: E }\n    count: { eventType: C }\n    green: { count: { min: 1.5 } }\n", 6, "takes whole numbers")]
    [InlineData(Head + "    complete: { eventType: E }\n    green: { durationSeconds: { max: 60 } }\n", 5, "duration rule but no 'start'")]
    [InlineData(Head + "    complete: { eventType: E }\n    green: { count: { max: 1 } }\n", 5, "count rule but no 'count' pattern")]
    [InlineData(Head + "    complete: { eventType: E }\n    completeAny:\n      - { eventType: F }\n", 6, "both 'complete' and 'completeAny'")]
    [InlineData(Head + "    completeAny: []\n", 4, "'completeAny' of point 'a' is empty")]
    [InlineData(Head + "    complete: { eventType: E, data: { n: { in: [] } } }\n", 4, "'in' of 'data.n' is empty")]
    [InlineData(Head + "    complete: { data: { n: 1 } }\n", 4, "missing 'eventType'")]
    [InlineData(Head + "    complete: { eventType: E, data: { n: 1 } }\n  - id: b\n    complete: { eventType: E, data: { n: \"1\" } }\n", 6, "matched as integer elsewhere and as string here")]
    [InlineData("game: t\neventTypes:\n  E:\n    data: { n: integer }\npoints:\n  - id: a\n    complete: { eventType: E, data: { n: x } }\n", 7, "declared integer but matched with string")]
    public void Catalog_rule_error_names_the_file_and_line(string yaml, int line, string problem)
    {
        var ex = Assert.Throws<CatalogException>(() => CatalogLoader.Load("games/t.yaml", yaml));

        Assert.Equal("games/t.yaml", ex.File);
        Assert.Equal(line, ex.Line);
        Assert.Contains(problem, ex.Problem, StringComparison.Ordinal);
        Assert.StartsWith($"games/t.yaml:{line}: ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Repository_catalogs_load()
    {
        var root = Path.Combine(SharedData.RepositoryRoot(), "catalogs");

        var mhs = CatalogLoader.Load("mhs.yaml", File.ReadAllText(Path.Combine(root, "mhs.yaml")));
        var waves = CatalogLoader.Load("waves.yaml", File.ReadAllText(Path.Combine(root, "waves.yaml")));

        Assert.Equal(12, mhs.Points.Count);
        Assert.Equal(Enumerable.Range(0, mhs.Points.Count), mhs.Points.Select(p => p.Order));
        Assert.Equal(35, waves.Points.Count);
        Assert.All(waves.Points, p => Assert.Equal(3, p.Green.CountMax));
    }

    [Fact]
    public void Title_change_keeps_the_point_version_and_a_rule_change_changes_it()
    {
        var text = MhsText();
        var before = CatalogLoader.Load("mhs.yaml", text);

        var retitled = CatalogLoader.Load("mhs.yaml", text.Replace("Find Dr. Toppo in under 5 minutes", "Find the doctor quickly", StringComparison.Ordinal));
        var stricter = CatalogLoader.Load("mhs.yaml", text.Replace("durationSeconds: { max: 300 }", "durationSeconds: { max: 60 }", StringComparison.Ordinal));
        var otherNode = CatalogLoader.Load("mhs.yaml", text.Replace("conversationId: 20, nodeId: 26", "conversationId: 20, nodeId: 27", StringComparison.Ordinal));

        Assert.Equal("Find the doctor quickly", retitled.PointsById["U2.C2"].Title);
        Assert.Equal(before.Points.Select(p => p.Version), retitled.Points.Select(p => p.Version));
        Assert.NotEqual(before.PointsById["U2.C2"].Version, stricter.PointsById["U2.C2"].Version);
        Assert.NotEqual(before.PointsById["U2.C2"].Version, otherNode.PointsById["U2.C2"].Version);
        Assert.Equal(
            before.Points.Where(p => p.Id != "U2.C2").Select(p => p.Version),
            stricter.Points.Where(p => p.Id != "U2.C2").Select(p => p.Version));
    }

    [Fact]
    public async Task Catalog_check_exits_0_for_good_files_and_1_naming_the_line_of_a_bad_one()
    {
        using var dir = new TempDirectory();
        var good = dir.Combine("mhs.yaml");
        var bad = dir.Combine("bad.yaml");
        await File.WriteAllTextAsync(good, MhsText());
        await File.WriteAllTextAsync(bad, Head + "    complete: { eventType: E }\n    green: { durationSeconds: { max: 60 } }\n");

        var ok = await CairnCli.RunAsync(dir.Path, "catalog", "check", good);
        var failed = await CairnCli.RunAsync(dir.Path, "catalog", "check", good, bad);

        Assert.True(ok.ExitCode == 0, ok.Output + ok.Error);
        Assert.Contains("ok: game 'mhs', 3 units, 12 points", ok.Output, StringComparison.Ordinal);
        Assert.Equal(1, failed.ExitCode);
        Assert.Contains("ok: game 'mhs'", failed.Output, StringComparison.Ordinal);
        Assert.Contains($"{bad}:5: point 'a' has a duration rule but no 'start'", failed.Error, StringComparison.Ordinal);
    }
}
