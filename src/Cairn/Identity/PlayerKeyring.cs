using System.Text;

namespace Cairn.Identity;

/// <summary>
/// The current pepper and, during a rotation, the previous ones. New events always use the current version;
/// the previous versions only resolve a raw id to the keys its data may still be stored under.
/// </summary>
internal sealed class PlayerKeyring(PlayerKeys current, IReadOnlyList<PlayerKeys> previous)
{
    public PlayerKeys Current { get; } = current;

    public IReadOnlyList<PlayerKeys> Previous { get; } = previous;

    /// <summary>The key under each known version, current first.</summary>
    public IReadOnlyList<string> Candidates(string orgId, string rawPlayerId) =>
        [Current.Compute(orgId, rawPlayerId), .. Previous.Select(k => k.Compute(orgId, rawPlayerId))];

    public static PlayerKeyring From(IdentityOptions options, PlayerKeys current) =>
        new(current, options.PreviousPeppers
            .Where(p => p.Version != options.PepperVersion)
            .Select(p => new PlayerKeys(Encoding.UTF8.GetBytes(
                (p.Pepper ?? (p.PepperFile is { } file ? File.ReadAllText(file) : throw new InvalidOperationException(
                    $"Identity:PreviousPeppers version {p.Version} needs Pepper or PepperFile."))).Trim()), p.Version))
            .ToList());
}
