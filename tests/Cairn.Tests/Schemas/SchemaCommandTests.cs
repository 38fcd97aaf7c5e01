using Cairn.Tests.Support;

namespace Cairn.Tests.Schemas;

/// <summary><c>cairn schema check DIR</c> as a real process.</summary>
public sealed class SchemaCommandTests
{
    [Fact]
    public async Task Issue_14_schema_check_exits_0_for_a_valid_directory_and_1_with_a_line_per_refused_file()
    {
        using var root = new TempDirectory();
        var good = root.Combine("good");
        var bad = root.Combine("bad");
        SchemaFiles.Write(good, ("mhs/levelComplete/1.0.0.json", SchemaFiles.V100), ("mhs/levelComplete/1.1.0.json", SchemaFiles.V110));
        SchemaFiles.Write(bad, ("mhs/levelComplete/1.0.0.json", SchemaFiles.V100),
            ("mhs/levelComplete/1.1.0.json", SchemaFiles.V100.Replace("\"required\": [\"level\", \"score\"]", "\"required\": [\"level\", \"score\", \"mode\"]", StringComparison.Ordinal)),
            ("mhs/sessionStart/1.0.0.json", "not json"));

        var ok = await CairnCli.RunAsync(root.Path, "schema", "check", good);
        var refused = await CairnCli.RunAsync(root.Path, "schema", "check", bad);
        var help = await CairnCli.RunAsync(root.Path, "schema", "check", "--help");

        Assert.Equal(0, ok.ExitCode);
        Assert.Contains("2 schemas of 1 event type valid", ok.Output, StringComparison.Ordinal);
        Assert.Equal(1, refused.ExitCode);
        var lines = refused.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(2, lines.Length);
        Assert.Contains(lines, l => l.StartsWith($"cairn: {Path.Combine(bad, "mhs", "levelComplete", "1.1.0.json")}: not backward compatible with 1.0.0: property '/mode': newly required", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith($"cairn: {Path.Combine(bad, "mhs", "sessionStart", "1.0.0.json")}: not valid JSON", StringComparison.Ordinal));
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("cairn schema check DIR", help.Output, StringComparison.Ordinal);
    }
}
