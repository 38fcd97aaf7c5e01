namespace Cairn.Access;

/// <summary>The games of one player's data a caller may read: every game (null) or only these.</summary>
internal sealed record PlayerReach(IReadOnlyList<string>? Games)
{
    public static readonly PlayerReach All = new((IReadOnlyList<string>?)null);

    public bool Includes(string game) => Games is null || Games.Contains(game, StringComparer.Ordinal);
}
