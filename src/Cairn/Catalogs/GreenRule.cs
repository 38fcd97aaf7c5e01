namespace Cairn.Catalogs;

/// <summary>When a completed point is green rather than yellow. Every bound given must hold.</summary>
internal sealed record GreenRule(double? DurationMin, double? DurationMax, int? CountMin, int? CountMax)
{
    public static readonly GreenRule Always = new(null, null, null, null);

    public bool HasDuration => DurationMin is not null || DurationMax is not null;

    public bool HasCount => CountMin is not null || CountMax is not null;
}
