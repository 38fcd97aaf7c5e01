namespace Cairn.Storage;

/// <summary>The statuses a progress cell can have (no row at all is white).</summary>
internal static class ProgressStatus
{
    public const string Green = "green";
    public const string Yellow = "yellow";
    public const string Started = "started";
    public const string White = "white";
}
