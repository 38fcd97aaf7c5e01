namespace Cairn.Import;

/// <summary>An import cannot start or go on (missing file, bad mapping, unknown format); the message says why.</summary>
internal sealed class ImportException(string message) : Exception(message);
