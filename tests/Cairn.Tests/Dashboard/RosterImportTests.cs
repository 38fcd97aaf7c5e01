using Cairn.Cli;
using Cairn.Tests.Support;

namespace Cairn.Tests.Dashboard;

public sealed class RosterImportTests
{
    private static Task<int> ImportAsync(string file, string data, params string[] more) =>
        RosterCommand.RunAsync(Args.Parse(["roster", "import", file, "--org", "school-1", "--data", data, .. more]), CancellationToken.None);

    [Fact]
    public async Task Roster_import_creates_groups_with_teachers_and_members_and_a_reimport_changes_nothing()
    {
        using var root = new TempDirectory();
        var data = root.Combine("data");
        var csv = root.Combine("roster.csv");
        await File.WriteAllTextAsync(csv, """
            group,playerId,displayName,teacher,under13,parentalConsent
            7b,ada@school.example,Ada Adams,t-1,false,false
            7b,"ben@school.example","Bauer, Ben",t-1,,
            7b,kid@school.example,Kid Young,t-2,true,false
            8a,cleo@school.example,Cleo Costa,t-3,true,true
            """);

        Assert.Equal(0, await ImportAsync(csv, data, "--game", "mhs"));
        var db = Path.Combine(data, "cairn.db");
        var first = Database.Column(db, "SELECT g.id || ':' || m.player_key FROM group_members m JOIN groups g ON g.id = m.group_id ORDER BY 1;");
        Assert.Equal(0, await ImportAsync(csv, data));
        var second = Database.Column(db, "SELECT g.id || ':' || m.player_key FROM group_members m JOIN groups g ON g.id = m.group_id ORDER BY 1;");

        Assert.Equal(4, first.Count);
        Assert.Equal(first, second);
        Assert.Equal(["t-1", "t-2"], Database.Column(db, "SELECT teacher_id FROM group_teachers WHERE group_id = '7b' ORDER BY 1;"));
        Assert.Equal(["Ada Adams", "Bauer, Ben", "Cleo Costa"], Database.Column(db, "SELECT display_name FROM players WHERE display_name IS NOT NULL ORDER BY 1;"));
        // Under 13 without parental consent: no name kept.
        Assert.Equal([""], Database.Column(db, "SELECT display_name FROM players WHERE raw_id = 'kid@school.example';"));
        Assert.Equal(2L, Database.Scalar(db, "SELECT COUNT(*) FROM groups;"));
    }

    [Fact]
    public async Task Roster_import_names_the_line_of_a_bad_row_and_a_missing_game_for_a_new_group()
    {
        using var root = new TempDirectory();
        var data = root.Combine("data");
        var bad = root.Combine("bad.csv");
        var missingColumn = root.Combine("missing.csv");
        var newGroup = root.Combine("new.csv");
        await File.WriteAllTextAsync(bad, "group,playerId,displayName\n7b,ada@school.example,Ada\n,ben@school.example,Ben\n");
        await File.WriteAllTextAsync(missingColumn, "group,displayName\n7b,Ada\n");
        await File.WriteAllTextAsync(newGroup, "group,playerId,displayName\nnew-group,ada@school.example,Ada\n");

        var line = await Assert.ThrowsAsync<Cairn.Import.ImportException>(() => ImportAsync(bad, data, "--game", "mhs"));
        var column = await Assert.ThrowsAsync<Cairn.Import.ImportException>(() => ImportAsync(missingColumn, data, "--game", "mhs"));
        var game = await Assert.ThrowsAsync<UsageException>(() => ImportAsync(newGroup, data));

        Assert.Contains(":3:", line.Message, StringComparison.Ordinal);
        Assert.Contains("missing column 'playerId'", column.Message, StringComparison.Ordinal);
        Assert.Contains("--game", game.Message, StringComparison.Ordinal);
    }
}
