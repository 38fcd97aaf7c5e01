namespace Cairn.PlaySessions;

/// <summary>How a play session ended, as stored and shown (lower case).</summary>
internal static class SessionEnd
{
    /// <summary>A <c>session_end</c> event.</summary>
    public const string Explicit = "explicit";

    /// <summary>A crash event (<c>session_crash</c>, <c>crash</c>).</summary>
    public const string Crash = "crash";

    /// <summary>The next event came after the inactivity gap, or a new <c>session_start</c> came first.</summary>
    public const string Gap = "gap";

    /// <summary>The next event would have made the session longer than the maximum.</summary>
    public const string Max = "max";

    /// <summary>The player's latest session, without an end event and with its last event inside the gap when computed.</summary>
    public const string Open = "open";
}
