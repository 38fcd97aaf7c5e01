namespace Cairn.Cohorts;

/// <summary>The length of a retention interval: a UTC day, or a week from Monday 00:00 UTC.</summary>
internal enum RetentionInterval
{
    Day,
    Week,
}
