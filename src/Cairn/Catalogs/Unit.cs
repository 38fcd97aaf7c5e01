namespace Cairn.Catalogs;

/// <summary>A group of points (a unit, chapter or level set) as the dashboard shows them.</summary>
internal sealed record Unit(string Id, string? Title);
