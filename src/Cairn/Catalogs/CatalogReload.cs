namespace Cairn.Catalogs;

/// <summary>The outcome of a (re)load: the games in force and the files that were refused.</summary>
internal sealed record CatalogReload(IReadOnlyList<string> Games, IReadOnlyList<string> Errors);
