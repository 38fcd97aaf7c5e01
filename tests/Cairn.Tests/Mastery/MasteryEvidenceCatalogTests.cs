using System.Text.Json.Nodes;
using Cairn.Catalogs;
using Cairn.Mastery;

namespace Cairn.Tests.Mastery;

/// <summary>Issue 12: the catalog's <c>mastery.evidence</c> and <c>mastery.concepts</c>, read, checked and looked up.</summary>
public sealed class MasteryEvidenceCatalogTests
{
    private const string Catalog = """
        game: quest
        points:
          - id: L1
            complete: { eventType: LevelDone, data: { level: 1 } }
        mastery:
          evidence:
            - point: L1
              standards: [FR.1, FR.3]
            - event: { eventType: QuizAnswer, data: { question: 7, outcome: { in: [right, close] } } }
              standards: [FR.2]
              correct: true
          concepts:
            treble_staff: [MUS.2, MUS.3]
        """;

    private static List<string> Collect(GameCatalog catalog, string eventType, JsonObject data)
    {
        var keys = new List<string>();
        catalog.Mastery.Evidence.Collect(eventType, data, catalog.Triggers.Match(eventType, data), keys);
        MasteryEvidence.StandardsOf(eventType, data, keys, catalog.Mastery.Evidence);
        return keys;
    }

    [Fact]
    public void Issue_12_evidence_names_the_standards_of_points_patterns_and_concept_tags_from_the_event_alone()
    {
        var catalog = CatalogLoader.Load("quest.yaml", Catalog);

        Assert.Equal(["FR.1", "FR.3"], Collect(catalog, "LevelDone", new JsonObject { ["level"] = 1 }));
        Assert.Empty(Collect(catalog, "LevelDone", new JsonObject { ["level"] = 2 }));
        Assert.Equal(["FR.2"], Collect(catalog, "QuizAnswer", new JsonObject { ["question"] = 7, ["outcome"] = "close" }));
        Assert.Empty(Collect(catalog, "QuizAnswer", new JsonObject { ["question"] = 8, ["outcome"] = "right" }));
        Assert.Equal(["MUS.2", "MUS.3", "rhythm"],
            Collect(catalog, "concept_mastered", new JsonObject { ["concept_tags"] = new JsonArray("treble_staff", "rhythm") }));
        Assert.Equal(["FR.1", "FR.2", "FR.3", "MUS.2", "MUS.3", "treble_staff"], catalog.Mastery.StandardsWithOwnVersion.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Issue_12_a_standards_version_changes_with_its_evidence_rules_and_only_with_them()
    {
        var before = CatalogLoader.Load("quest.yaml", Catalog).Mastery;
        var after = CatalogLoader.Load("quest.yaml", Catalog.Replace("correct: true", "correct: false", StringComparison.Ordinal)).Mastery;
        var plain = CatalogLoader.Load("quest.yaml", "game: quest\nmastery:\n  threshold: 70\n").Mastery;

        Assert.NotEqual(MasteryProjection.VersionOf(before, "FR.2"), MasteryProjection.VersionOf(after, "FR.2"));
        Assert.Equal(MasteryProjection.VersionOf(before, "FR.1"), MasteryProjection.VersionOf(after, "FR.1"));
        Assert.Equal(MasteryProjection.VersionOf(before, null), MasteryProjection.VersionOf(after, null));
        Assert.NotEqual(MasteryProjection.VersionOf(before, "FR.1"), MasteryProjection.VersionOf(before, null));
        // A standard no rule names keeps the version it had before evidence rules existed.
        Assert.Equal(MasteryProjection.VersionOf(plain, "OTHER"), MasteryProjection.VersionOf(before, "OTHER"));
    }

    [Fact]
    public void Issue_12_every_mistake_in_mastery_evidence_is_reported_with_its_line()
    {
        var error = Assert.Throws<CatalogException>(() => CatalogLoader.Load("quest.yaml", """
            game: quest
            points:
              - id: L1
                complete: { eventType: LevelDone, data: { level: 1 } }
            mastery:
              evidence:
                - point: L9
                  standards: [FR.1]
                - point: L1
                  event: { eventType: QuizAnswer }
                  standards: [FR.1]
                - event: { eventType: QuizAnswer }
                - point: L1
                  standards: [FR.1]
                  correct: true
                - event: { eventType: QuizAnswer }
                  standards: []
                  colour: red
                - event: { eventType: QuizAnswer }
                  standards: [FR.1]
                  correct: maybe
              concepts:
                treble_staff: MUS.2
            """));

        var problems = error.Errors.Select(e => (e.Line, e.Problem)).ToList();
        Assert.Contains(problems, p => p.Line == 7 && p.Problem.Contains("names point 'L9', which 'points' does not define", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Line == 9 && p.Problem.Contains("exactly one of 'point'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Line == 12 && p.Problem.Contains("missing 'standards'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Line == 15 && p.Problem.Contains("'correct' is for an 'event'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Line == 17 && p.Problem.Contains("1 to 32 standard ids", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Line == 18 && p.Problem.Contains("unknown key 'colour'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Line == 21 && p.Problem.Contains("must be true or false", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Line == 23 && p.Problem.Contains("must be a list", StringComparison.Ordinal));
        Assert.All(error.Errors, e => Assert.Equal("quest.yaml", e.File));
    }
}
