namespace Cairn.Hosting;

/// <summary>
/// What <c>/health/ready</c> says of one background component. <paramref name="LastError"/> is the exception's type only:
/// a message can quote stored values (a player id in a constraint error), and readiness is unauthenticated.
/// </summary>
internal sealed record ComponentHealth(string Name, string Status, long Failures, string? LastError, DateTimeOffset? FailingSince);
