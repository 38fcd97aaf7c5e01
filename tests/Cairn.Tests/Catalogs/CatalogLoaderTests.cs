using Cairn.Catalogs;

namespace Cairn.Tests.Catalogs;

public sealed class CatalogLoaderTests
{
    [Fact]
    public void Valid_catalog_gives_field_types_per_game_and_event_type()
    {
        const string yaml = """
            game: mhs
            title: Mystery
            eventTypes:
              quizAnswer:
                data:
                  score: integer
                  ratio: number
                  passed: boolean
                  label: string
            """;

        var schemas = new EventSchemas(CatalogLoader.LoadSchemas("mhs.yaml", yaml));

        var quiz = schemas.For("mhs", "quizAnswer");
        Assert.NotNull(quiz);
        Assert.Equal(FieldType.Integer, quiz["score"]);
        Assert.Equal(FieldType.Number, quiz["ratio"]);
        Assert.Equal(FieldType.Boolean, quiz["passed"]);
        Assert.Equal(FieldType.String, quiz["label"]);
        Assert.Null(schemas.For("other", "quizAnswer"));
        Assert.Null(schemas.For("mhs", "other"));
    }

    [Theory]
    [InlineData("game: mhs\ntitle: x\ncolour: red\n", 3, "unknown key 'colour'")]
    [InlineData("game: mhs\neventTypes:\n  quizAnswer:\n    data:\n      score: int\n", 5, "type 'int'")]
    [InlineData("game: mhs\neventTypes:\n  quizAnswer:\n    schema:\n      score: integer\n", 4, "unknown key 'schema'")]
    [InlineData("game: mhs\neventTypes: [a, b]\n", 2, "'eventTypes' must be a mapping")]
    [InlineData("title: x\neventTypes: {}\n", 1, "missing 'game'")]
    [InlineData("game: mhs\neventTypes:\n  quizAnswer:\n    data: {score: integer\n", 5, "not valid YAML")]
    public void Catalog_error_names_the_file_and_line(string yaml, int line, string problem)
    {
        var ex = Assert.Throws<CatalogException>(() => CatalogLoader.LoadSchemas("bad.yaml", yaml));

        Assert.Equal("bad.yaml", ex.File);
        Assert.Equal(line, ex.Line);
        Assert.Contains(problem, ex.Problem, StringComparison.Ordinal);
        Assert.StartsWith($"bad.yaml:{line}: ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_catalog_directory_gives_no_schemas()
    {
        var schemas = CatalogLoader.LoadDirectory(Path.Combine(Path.GetTempPath(), "cairn-tests", "no-such-" + Guid.NewGuid().ToString("N")));

        Assert.Equal(0, schemas.Count);
    }
}
