using Cairn.Tests.Support;

namespace Cairn.Tests.Import;

/// <summary>
/// The real <c>cairn import</c> process on inputs it cannot import: one line naming the file, line and column, exit code 1,
/// no stack trace. (Where the import stops does not depend on the store, so these run on the SQLite file only.)
/// </summary>
public sealed class ImportErrorTests : IDisposable
{
    private readonly TempDirectory _root = new();

    public void Dispose() => _root.Dispose();

    private async Task<CairnCli.Result> ImportAsync(string file, params string[] options) =>
        await CairnCli.RunAsync(_root.Path, ["import", file, "--org", "org-import", "--game", "g", "--data", _root.Combine("data"), "--quiet", "--no-jobs", .. options]);

    private string Write(string name, string content)
    {
        var path = _root.Combine(name);
        File.WriteAllText(path, content);
        return path;
    }

    private static void AssertFailsAt(CairnCli.Result result, string place, string reason)
    {
        var all = result.Output + result.Error;
        Assert.True(result.ExitCode == 1, $"exit {result.ExitCode}:\n{all}");
        Assert.StartsWith($"cairn: {place}: ", result.Error, StringComparison.Ordinal);
        Assert.Contains(reason, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", all, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled", all, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bad.json", "[\n  {\"eventId\": \"a\"},\n  {\"eventId\": }\n]", "3:15", "not valid JSON")]
    [InlineData("object.json", "{\"rows\": []}", "1:1", "an array of events")]
    [InlineData("open.csv", "eventId,eventType\na,\"start\nb,finish\n", "2:3", "never closed")]
    [InlineData("after.tsv", "eventId\teventType\na\t\"start\"ed\n", "2:10", "after the closing quote")]
    [InlineData("wide.csv", "eventId,eventType\na,start\nb,finish,extra\n", "3:1", "3 fields, the header 2")]
    [InlineData("empty.csv", "", "1:1", "no header row")]
    [InlineData("plain.jsonl.gz", "{\"eventId\": \"a\"}\n", "1:1", "not readable as gzip")]
    public async Task Issue_7_malformed_input_stops_the_import_with_its_file_line_and_column(string name, string content, string at, string reason)
    {
        var file = Write(name, content);

        var result = await ImportAsync(file);

        AssertFailsAt(result, $"{file}:{at}", reason);
    }

    [Fact]
    public async Task Issue_7_missing_file_is_named_and_exits_1()
    {
        var file = _root.Combine("nope.jsonl");

        var result = await ImportAsync(file);

        AssertFailsAt(result, file, "does not exist");
    }

    [Theory]
    [InlineData("game: g\nfields: [eventId, timestamp]\n", "2:9", "expected 'key: value' entries")]
    [InlineData("game: g\nfields: {eventId: id\n", "3:1", "")]
    [InlineData("game: g\nfieldz: {}\n", "2:1", "unknown key 'fieldz'")]
    [InlineData("game: g\ntimestamp:\n  format: \"yyyy-MM-dd\"\n  zone: \"+2h\"\n", "4:9", "unknown time zone '+2h'")]
    [InlineData("game: g\nfields:\n  playerId: session_id\n  eventId: \"{sha256:session_id}-{index}\"\n", "4:12", "{hmac:session_id}")]
    public async Task Issue_7_bad_mapping_stops_the_import_with_its_file_line_and_column(string yaml, string at, string reason)
    {
        var mapping = Write("mapping.yaml", yaml);
        var file = Write("events.jsonl", "{}\n");

        var result = await ImportAsync(file, "--mapping", mapping);

        AssertFailsAt(result, $"{mapping}:{at}", reason);
    }

    [Theory]
    [InlineData("events.jsonl", "{\"eventId\": \"ok-1\", \"eventType\": \"t\", \"timestamp\": \"2025-09-29T22:02:51Z\", \"playerId\": \"p\"}\n{\"eventId\": \"broken\", \"eventType\": \n")]
    [InlineData("twice.json", "[{\"eventId\": \"ok-1\", \"eventType\": \"t\", \"timestamp\": \"2025-09-29T22:02:51Z\", \"playerId\": \"p\"},\n {\"eventId\": \"a\", \"eventId\": \"b\"}]")]
    [InlineData("twice.jsonl", "{\"eventId\": \"ok-1\", \"eventType\": \"t\", \"timestamp\": \"2025-09-29T22:02:51Z\", \"playerId\": \"p\"}\n{\"eventId\": \"a\", \"eventId\": \"b\"}\n")]
    public async Task Issue_7_a_row_that_is_not_json_or_is_hostile_json_is_rejected_and_the_import_goes_on(string name, string content)
    {
        var file = Write(name, content);

        var result = await ImportAsync(file);

        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        Assert.Contains("accepted   1", result.Output, StringComparison.Ordinal);
        Assert.Contains("rejected   1", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }
}
