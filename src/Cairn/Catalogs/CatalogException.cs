namespace Cairn.Catalogs;

/// <summary>
/// A catalog file is wrong; the message names the file, the line and what is wrong. One exception may carry
/// every error found in a file (<see cref="Errors"/>, one line each in the message), so a file is fixed in one round.
/// </summary>
internal sealed class CatalogException : Exception
{
    public CatalogException(string file, int line, string problem)
        : base($"{file}:{line}: {problem}")
    {
        File = file;
        Line = line;
        Problem = problem;
        Errors = [this];
    }

    /// <param name="errors">At least one error, in the order of the file.</param>
    public CatalogException(IReadOnlyList<CatalogException> errors)
        : base(string.Join(Environment.NewLine, errors.Select(e => e.Message)))
    {
        File = errors[0].File;
        Line = errors[0].Line;
        Problem = errors[0].Problem;
        Errors = errors;
    }

    public string File { get; }

    public int Line { get; }

    public string Problem { get; }

    /// <summary>Every error of the file, each with its own line (this one alone when there is one).</summary>
    public IReadOnlyList<CatalogException> Errors { get; }
}
