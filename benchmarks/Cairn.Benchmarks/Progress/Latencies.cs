using System.Globalization;

namespace Cairn.Benchmarks.Progress;

/// <summary>Percentiles of a set of latencies in milliseconds.</summary>
internal sealed class Latencies(IEnumerable<double> values)
{
    private readonly double[] _sorted = values.Order().ToArray();

    public int Count => _sorted.Length;

    public double Mean => _sorted.Length == 0 ? 0 : _sorted.Average();

    public double P(double p) =>
        _sorted.Length == 0 ? double.NaN : _sorted[Math.Clamp((int)Math.Ceiling(p * _sorted.Length) - 1, 0, _sorted.Length - 1)];

    public double Max => _sorted.Length == 0 ? double.NaN : _sorted[^1];

    /// <summary>A markdown row: count, mean, p50, p95, p99, max.</summary>
    public string Row(string name) => string.Create(CultureInfo.InvariantCulture,
        $"| {name} | {Count:N0} | {Mean:F2} | {P(0.50):F2} | {P(0.95):F2} | {P(0.99):F2} | {Max:F2} |");

    public const string Header = "| what | samples | mean (ms) | p50 (ms) | p95 (ms) | p99 (ms) | max (ms) |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |";

    public static double Ms(long from, long to) => (to - from) * 1000.0 / System.Diagnostics.Stopwatch.Frequency;

    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
