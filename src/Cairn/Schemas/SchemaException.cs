namespace Cairn.Schemas;

/// <summary>A schema file is refused; the message names the file and the reason (and, for an incompatible version, the property).</summary>
internal sealed class SchemaException(string file, string reason) : Exception($"{file}: {reason}")
{
    public string File { get; } = file;

    public string Reason { get; } = reason;
}
