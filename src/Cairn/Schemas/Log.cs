namespace Cairn.Schemas;

/// <summary>Schema registry log messages (file names and reasons only: schemas hold no player data).</summary>
internal static partial class Log
{
    [LoggerMessage(2060, LogLevel.Information, "Schemas: {Schemas} schemas of {EventTypes} event types from {Directory}")]
    public static partial void SchemasLoaded(ILogger logger, int schemas, int eventTypes, string directory);

    [LoggerMessage(2061, LogLevel.Error, "Schema refused (the previous version of the file stays in force, if any): {Problem}")]
    public static partial void SchemaRejected(ILogger logger, string problem);

    [LoggerMessage(2062, LogLevel.Information, "Schema files changed; reloading")]
    public static partial void SchemaFilesChanged(ILogger logger);
}
