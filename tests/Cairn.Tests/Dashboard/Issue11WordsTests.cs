using Cairn.Catalogs;
using Cairn.Dashboard;
using Cairn.Hosting;
using Cairn.Storage;
using Cairn.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Tests.Dashboard;

/// <summary>Issue #11: the words the teacher's and the student's pages are made of, and where they come from.</summary>
public sealed class Issue11WordsTests
{
    private const string Catalog = """
        game: g
        title: The Game
        points:
          - id: P1
            title: Find Dr. Toppo in under 5 minutes
            start: { name: talked to Dr. Toppo, eventType: Talk, data: { who: 1 } }
            complete: { name: found Dr. Toppo, eventType: Talk, data: { who: 2 } }
            green: { durationSeconds: { max: 300 } }
          - id: P2
            title: Argue with at most one hint
            start: { eventType: Talk, data: { who: 3 } }
            complete: { eventType: Talk, data: { who: 4 } }
            count: { name: asked for a hint, eventType: Talk, data: { who: 5 } }
            green: { count: { max: 1 } }
        """;

    [Fact]
    public void Issue_11_patterns_have_names_and_the_game_a_title_without_changing_rule_versions()
    {
        var named = CatalogLoader.Load("g.yaml", Catalog);
        var unnamed = CatalogLoader.Load("g.yaml", Catalog.Replace("name: talked to Dr. Toppo, ", "", StringComparison.Ordinal).Replace("title: The Game\n", "", StringComparison.Ordinal));

        Assert.Equal("The Game", named.Title);
        Assert.Null(unnamed.Title);
        Assert.Equal("talked to Dr. Toppo", named.PointsById["P1"].Start!.Name);
        Assert.Equal("found Dr. Toppo", named.PointsById["P1"].Complete[0].Name);
        Assert.Null(unnamed.PointsById["P1"].Start!.Name);
        Assert.Equal(unnamed.PointsById["P1"].Version, named.PointsById["P1"].Version);
    }

    [Theory]
    [InlineData("mhs.yaml")]
    [InlineData("waves.yaml")]
    public void Issue_11_the_shipped_catalogs_have_a_title_and_name_every_pattern(string file)
    {
        var path = Path.Combine(SharedData.RepositoryRoot(), "catalogs", file);

        var catalog = CatalogLoader.Load(file, File.ReadAllText(path));

        Assert.False(string.IsNullOrWhiteSpace(catalog.Title));
        var patterns = catalog.Points.SelectMany(p => p.Complete.Append(p.Start).Append(p.Count)).OfType<EventPattern>().ToList();
        Assert.NotEmpty(patterns);
        Assert.All(patterns, p => Assert.False(string.IsNullOrWhiteSpace(p.Name), $"{file}: a {p.EventType} pattern has no name"));
    }

    [Fact]
    public void Issue_11_why_a_cell_is_yellow_is_said_in_plain_words()
    {
        var catalog = CatalogLoader.Load("g.yaml", Catalog);

        Assert.Equal(["6 min 39 s; green needs at most 5 min"], Words.Why(catalog.PointsById["P1"], 399, null));
        Assert.Equal(["2 × asked for a hint; green allows at most 1"], Words.Why(catalog.PointsById["P2"], 30, 2));
        Assert.Equal("45 s", Words.Duration(45));
        Assert.Equal("1 h 5 min", Words.Duration(3900));
    }

    private static readonly MatrixPoint[] Points = [new("P1", null, "Find Dr. Toppo"), new("P2", null, "Argue"), new("P3", null, "Report")];
    private static readonly DateTimeOffset Clock = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly Dictionary<string, DateTimeOffset> NothingStarted = [];

    [Fact]
    public void Issue_11_many_yellow_cells_and_inactivity_in_a_playing_class_are_reasons_for_attention()
    {
        var options = new DashboardOptions { AttentionYellowCells = 2, InactiveMinutes = 10 };
        MatrixCell[] yellow = [new("yellow"), new("yellow"), MatrixCell.White];
        MatrixCell[] fine = [new("green"), MatrixCell.White, MatrixCell.White];
        double?[] typical = [null, null, null];

        var many = Attention.For(yellow, Clock, NothingStarted, Points, typical, Clock, classActive: true, options);
        var idle = Attention.For(fine, Clock.AddMinutes(-14), NothingStarted, Points, typical, Clock, classActive: true, options);
        var idleWhileClassIsNot = Attention.For(fine, Clock.AddMinutes(-14), NothingStarted, Points, typical, Clock, classActive: false, options);
        var never = Attention.For(fine, null, NothingStarted, Points, typical, Clock, classActive: true, options);
        var ok = Attention.For(fine, Clock.AddMinutes(-2), NothingStarted, Points, typical, Clock, classActive: true, options);
        var finished = Attention.For([new("green"), new("green"), new("yellow")], Clock.AddMinutes(-40), NothingStarted, Points, typical, Clock, classActive: true, options);

        Assert.Equal("yellow on 2 points (Find Dr. Toppo, Argue): needed more time, help or tries", Assert.Single(many).Text);
        Assert.Equal((Attention.Inactive, "no activity for 14 min, while the class is playing"), (Assert.Single(idle).Kind, idle[0].Text));
        Assert.Empty(idleWhileClassIsNot);
        Assert.Equal("has not started, while the class is playing", Assert.Single(never).Text);
        Assert.Empty(ok);
        Assert.Empty(finished);
    }

    /// <summary>The progress projection has no in-progress state yet; this is the hook it will feed.</summary>
    [Fact]
    public void Issue_11_a_started_point_taking_longer_than_its_typical_time_is_a_stuck_reason()
    {
        var options = new DashboardOptions();
        MatrixCell[] cells = [new("green"), MatrixCell.White, MatrixCell.White];
        double?[] typical = [120, 240, null];
        var started = new Dictionary<string, DateTimeOffset> { ["P2"] = Clock.AddMinutes(-9), ["P3"] = Clock.AddMinutes(-30) };
        var justStarted = new Dictionary<string, DateTimeOffset> { ["P2"] = Clock.AddMinutes(-3) };

        var stuck = Attention.For(cells, Clock, started, Points, typical, Clock, classActive: true, options);
        var notYet = Attention.For(cells, Clock, justStarted, Points, typical, Clock, classActive: true, options);

        Assert.Equal((Attention.Stuck, "on “Argue” for 9 min; it typically takes 4 min"), (Assert.Single(stuck).Kind, stuck[0].Text));
        Assert.Empty(notYet);
        Assert.Equal(150, Attention.Typical([100, 200, 150], 300));
        Assert.Equal(300, Attention.Typical([], 300));
    }

    [Fact]
    public void Issue_11_the_console_says_where_to_use_a_generated_admin_token()
    {
        using var services = new ServiceCollection().AddLogging().BuildServiceProvider();
        using var console = new StringWriter();

        new StartupReport(new StorageOptions(), 1, "test", "cat_generated").Report(services, console);

        Assert.Contains("cat_generated", console.ToString(), StringComparison.Ordinal);
        Assert.Contains("Sign in to the class pages at /signin", console.ToString(), StringComparison.Ordinal);
    }
}
