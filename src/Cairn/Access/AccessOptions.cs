namespace Cairn.Access;

/// <summary>Who may call what, until roles and scopes arrive.</summary>
internal sealed class AccessOptions
{
    public const string SectionName = "Access";

    /// <summary>The admin token (or CAIRN_ADMIN_TOKEN). A development start without one generates and prints one.</summary>
    public string? AdminToken { get; set; }

    /// <summary>How often each process reloads the opted-out players from the store (changes made by other processes).</summary>
    public int OptOutRefreshSeconds { get; set; } = 10;
}
