namespace Cairn.PlaySessions;

/// <summary>
/// A game's <c>sessions:</c> section (docs/analytics.md#sessions): the inactivity gap that ends a session and the longest a
/// session may run before the next event starts another.
/// </summary>
internal sealed record SessionSettings(TimeSpan Gap, TimeSpan MaxLength)
{
    public static readonly SessionSettings Default = new(TimeSpan.FromMinutes(30), TimeSpan.FromHours(24));
}
