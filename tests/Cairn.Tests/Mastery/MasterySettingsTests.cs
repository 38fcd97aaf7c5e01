using Cairn.Catalogs;
using Cairn.Mastery;

namespace Cairn.Tests.Mastery;

/// <summary>The catalog's optional <c>mastery:</c> section.</summary>
public sealed class MasterySettingsTests
{
    [Fact]
    public void Issue_12_a_catalog_without_a_mastery_section_uses_the_defaults()
    {
        var catalog = CatalogLoader.Load("lms.yaml", "game: lms\n");

        Assert.Same(MasterySettings.Default, catalog.Mastery);
        Assert.False(catalog.Mastery.FromCatalog);
        Assert.Equal(0.7, catalog.Mastery.ThresholdFor("any"));
        Assert.Equal(BktParameters.Default, catalog.Mastery.ParametersFor("any"));
    }

    [Fact]
    public void Issue_12_the_mastery_section_sets_game_defaults_and_per_standard_overrides()
    {
        var catalog = CatalogLoader.Load("lms.yaml", """
            game: lms
            mastery:
              params: { prior: 0.3, learn: 0.2, guess: 0.25, slip: 0.1, forget: 0.01 }
              threshold: 60
              levels: { familiar: 0.4, proficient: 0.7, mastered: 0.9 }
              standards:
                NF.1: { params: { guess: 0.05 }, threshold: 85 }
                NF.2: { threshold: 50 }
            """);

        var m = catalog.Mastery;
        Assert.True(m.FromCatalog);
        Assert.Equal(new BktParameters(0.3, 0.2, 0.25, 0.1, 0.01), m.ParametersFor("other"));
        Assert.Equal(new BktParameters(0.3, 0.2, 0.05, 0.1, 0.01), m.ParametersFor("NF.1"));
        Assert.Equal(m.Parameters, m.ParametersFor("NF.2"));
        Assert.Equal((0.6, 0.85, 0.5), (m.ThresholdFor("other"), m.ThresholdFor("NF.1"), m.ThresholdFor("NF.2")));
        Assert.Equal(new MasteryLevels(0.4, 0.7, 0.9), m.Levels);
    }

    [Fact]
    public void Issue_12_every_mistake_in_the_mastery_section_is_reported_with_its_line()
    {
        var error = Assert.Throws<CatalogException>(() => CatalogLoader.Load("lms.yaml", """
            game: lms
            mastery:
              params: { prior: 0.3, guess: 0.5 }
              threshold: 170
              levels: { familiar: 0.9, proficient: 0.7 }
              colour: blue
              standards:
                NF.1: { params: { slip: -1 } }
            """));

        var problems = error.Errors.Select(e => (e.Line, e.Problem)).ToList();
        Assert.Contains(problems, p => p.Line == 3 && p.Problem.Contains("'guess' must be at most 0.3", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Line == 4 && p.Problem.Contains("percentage", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Line == 5 && p.Problem.Contains("familiar < proficient", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Line == 6 && p.Problem.Contains("unknown key 'colour'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Line == 8 && p.Problem.Contains("from 0 to 1", StringComparison.Ordinal));
    }

    [Fact]
    public void Issue_12_a_standard_can_have_a_name_of_one_line_which_changes_no_parameter_version()
    {
        var named = CatalogLoader.Load("lms.yaml", """
            game: lms
            mastery:
              standards:
                NF.1: { name: "  Add fractions ", threshold: 80 }
                NF.2: { threshold: 80 }
            """).Mastery;
        var error = Assert.Throws<CatalogException>(() => CatalogLoader.Load("lms.yaml", """
            game: lms
            mastery:
              standards:
                NF.1: { name: "" }
                NF.2: { name: [a, b] }
            """));

        Assert.Equal("Add fractions", named.NameOf("NF.1"));
        Assert.Null(named.NameOf("NF.2"));
        Assert.Null(named.NameOf("NF.9"));
        Assert.Equal(MasteryProjection.VersionOf(named, "NF.2"), MasteryProjection.VersionOf(named, "NF.1"));
        var problems = error.Errors.Select(e => (e.Line, e.Problem)).ToList();
        Assert.Contains(problems, p => p.Line == 4 && p.Problem.Contains("one line of 1–200 characters", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Line == 5 && p.Problem.Contains("one line of 1–200 characters", StringComparison.Ordinal));
    }
}
