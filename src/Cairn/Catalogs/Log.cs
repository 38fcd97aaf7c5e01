namespace Cairn.Catalogs;

internal static partial class Log
{
    [LoggerMessage(2000, LogLevel.Information, "Catalogs: {Games} games, {Points} points from {Directory}")]
    public static partial void CatalogsLoaded(ILogger logger, int games, int points, string directory);

    [LoggerMessage(2001, LogLevel.Error, "Catalog refused (the previous version stays in force): {Problem}")]
    public static partial void CatalogRejected(ILogger logger, string problem);

    [LoggerMessage(2002, LogLevel.Information, "Catalog files changed; reloading")]
    public static partial void CatalogFilesChanged(ILogger logger);
}
