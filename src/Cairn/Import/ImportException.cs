namespace Cairn.Import;

/// <summary>An import cannot start or go on (missing file, bad mapping, unknown format); the message says why.</summary>
internal sealed class ImportException(string message) : Exception(message)
{
    /// <summary>An error at a place in a file, as compilers print it: <c>file:line:column: reason</c>.</summary>
    public static ImportException At(string file, long line, long column, string reason) => new($"{file}:{line}:{column}: {reason}");
}
