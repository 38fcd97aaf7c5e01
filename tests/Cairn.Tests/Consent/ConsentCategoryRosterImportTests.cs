using Cairn.Cli;
using Cairn.Tests.Support;

namespace Cairn.Tests.Consent;

/// <summary><c>cairn roster import</c>'s declinedCategories column (issue #14, consent per category).</summary>
public sealed class ConsentCategoryRosterImportTests
{
    private static Task<int> ImportAsync(string file, string data) =>
        RosterCommand.RunAsync(Args.Parse(["roster", "import", file, "--org", "school-1", "--data", data, "--game", "mhs"]), CancellationToken.None);

    private static List<string> Choices(string db) =>
        Database.Column(db, """
            SELECT p.raw_id || ':' || c.category || '=' || c.granted FROM consent_categories c JOIN players p ON p.player_key = c.player_key
            ORDER BY 1;
            """);

    [Fact]
    public async Task Issue_14_the_declined_categories_column_sets_exactly_the_listed_categories_declined()
    {
        using var root = new TempDirectory();
        var data = root.Combine("data");
        var csv = root.Combine("roster.csv");
        await File.WriteAllTextAsync(csv, "group,playerId,displayName,declinedCategories\n7b,ada@school.example,Ada,social; combat\n7b,ben@school.example,Ben,\n");

        Assert.Equal(0, await ImportAsync(csv, data));
        var db = Path.Combine(data, "cairn.db");
        Assert.Equal(["ada@school.example:combat=0", "ada@school.example:social=0"], Choices(db));

        await File.WriteAllTextAsync(csv, "group,playerId,displayName,declinedCategories\n7b,ada@school.example,Ada,combat\n7b,ben@school.example,Ben,\n");
        Assert.Equal(0, await ImportAsync(csv, data));

        Assert.Equal(["ada@school.example:combat=0", "ada@school.example:social=1"], Choices(db));
    }

    [Fact]
    public async Task Issue_14_an_unknown_category_in_the_roster_file_names_the_line_and_the_category()
    {
        using var root = new TempDirectory();
        var csv = root.Combine("roster.csv");
        await File.WriteAllTextAsync(csv, "group,playerId,displayName,declinedCategories\n7b,ada@school.example,Ada,social\n7b,ben@school.example,Ben,gossip\n");

        var error = await Assert.ThrowsAsync<Cairn.Import.ImportException>(() => ImportAsync(csv, root.Combine("data")));

        Assert.Contains(":3: declinedCategories: 'categories': unknown category 'gossip'", error.Message, StringComparison.Ordinal);
    }
}
