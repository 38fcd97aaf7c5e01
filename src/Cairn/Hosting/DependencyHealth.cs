namespace Cairn.Hosting;

/// <summary>What <c>/health/ready</c> says of one dependency: <c>ok</c> or <c>unavailable</c>.</summary>
internal sealed record DependencyHealth(string Name, string Status);
