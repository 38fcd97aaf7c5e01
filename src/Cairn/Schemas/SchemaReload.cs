namespace Cairn.Schemas;

/// <summary>What a load of the schemas directory gave: how many schemas are in force, and every refused file ("FILE: reason").</summary>
internal sealed record SchemaReload(int Schemas, IReadOnlyList<string> Errors);
