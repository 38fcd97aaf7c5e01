namespace Cairn.Rollups;

/// <summary>The share (0–1) of <see cref="LevelCounts"/> at each level; all 0 when there is nobody to count.</summary>
internal sealed record LevelShares(double NotStarted, double Attempted, double Familiar, double Proficient, double Mastered)
{
    public static LevelShares Of(LevelCounts c)
    {
        var total = c.Total;
        double Share(int n) => total == 0 ? 0 : (double)n / total;
        return new LevelShares(Share(c.NotStarted), Share(c.Attempted), Share(c.Familiar), Share(c.Proficient), Share(c.Mastered));
    }
}
