namespace Cairn.Tests.Support;

/// <summary>Finds files outside the test output: the repository root and the shared data beside it.</summary>
internal static class SharedData
{
    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The repository root (the directory holding Cairn.slnx).</summary>
    public static string RepositoryRoot() =>
        FindUp(dir => File.Exists(Path.Combine(dir, "Cairn.slnx")) ? dir : null)
        ?? throw new InvalidOperationException("Cannot find Cairn.slnx above " + AppContext.BaseDirectory);

    /// <summary>The WAVES sample export, found by walking up to a <c>shared/data/waves</c> directory; null when absent.</summary>
    public static string? WavesSample() =>
        FindUp(dir =>
        {
            var candidate = Path.Combine(dir, "shared", "data", "waves", "waves_events_sample.tsv");
            return File.Exists(candidate) ? candidate : null;
        });

    /// <summary>The WAVES sample, or a skip locally / a failure in CI when it is missing.</summary>
    public static string RequireWavesSample()
    {
        var path = WavesSample();
        if (path is null)
        {
            const string reason = "shared/data/waves/waves_events_sample.tsv was not found above the test directory";
            Assert.False(InCi, reason + " (required in CI)");
            Skip.If(true, reason);
        }
        return path!;
    }

    /// <summary>
    /// The JSONTestSuite parsing cases (<c>shared/data/json-test-suite/test_parsing</c>, found by walking up), or a
    /// skip locally / a failure in CI when they are missing.
    /// </summary>
    public static string RequireJsonTestSuite()
    {
        var path = FindUp(dir =>
        {
            var candidate = Path.Combine(dir, "shared", "data", "json-test-suite", "test_parsing");
            return Directory.Exists(candidate) ? candidate : null;
        });
        if (path is null)
        {
            const string reason = "shared/data/json-test-suite/test_parsing was not found above the test directory";
            Assert.False(InCi, reason + " (required in CI)");
            Skip.If(true, reason);
        }
        return path!;
    }

    /// <summary>
    /// The JSON-Schema-Test-Suite (draft 2020-12) under <c>shared/data/json-schema-test-suite</c>, or a skip locally / a failure
    /// in CI when it is missing.
    /// </summary>
    public static string RequireJsonSchemaTestSuite()
    {
        var path = FindUp(dir =>
        {
            var candidate = Path.Combine(dir, "shared", "data", "json-schema-test-suite");
            return Directory.Exists(Path.Combine(candidate, "tests", "draft2020-12")) ? candidate : null;
        });
        if (path is null)
        {
            const string reason = "shared/data/json-schema-test-suite/tests/draft2020-12 was not found above the test directory";
            Assert.False(InCi, reason + " (required in CI)");
            Skip.If(true, reason);
        }
        return path!;
    }

    private static string? FindUp(Func<string, string?> probe)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (probe(dir.FullName) is { } found)
            {
                return found;
            }
        }
        return null;
    }
}
