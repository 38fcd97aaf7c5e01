namespace Cairn.Catalogs;

/// <summary>A catalog file is wrong; the message names the file, the line and what is wrong.</summary>
internal sealed class CatalogException(string file, int line, string problem)
    : Exception($"{file}:{line}: {problem}")
{
    public string File { get; } = file;

    public int Line { get; } = line;

    public string Problem { get; } = problem;
}
