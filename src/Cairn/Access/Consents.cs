namespace Cairn.Access;

/// <summary>A player's consent to analytics: granted, opted out (events dropped at ingest), or not yet known.</summary>
internal static class Consents
{
    public const string Granted = "granted";
    public const string OptedOut = "opted-out";
    public const string Unknown = "unknown";
}
