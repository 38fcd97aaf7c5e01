namespace Cairn.Benchmarks;

/// <summary>Prints a benchmark's markdown result and keeps it in a file (for docs/benchmarks.md).</summary>
internal static class ResultFile
{
    public static async Task WriteAsync(TextWriter console, string markdown, string path)
    {
        console.WriteLine();
        console.WriteLine(markdown);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await File.WriteAllTextAsync(path, markdown);
        console.WriteLine($"(written to {Path.GetFullPath(path)})");
    }
}
