using System.Globalization;

namespace Cairn.Cli;

/// <summary>A parsed command line: positional words, <c>--name value</c> options and <c>--flag</c> switches.</summary>
/// <remarks>
/// Hand-written rather than System.CommandLine: the commands read their options imperatively (several read
/// different options per verb), and moving all twelve commands onto a declared parser was more than the
/// change needed; help, <c>--version</c> and "did you mean" are provided here and in <see cref="Usage"/>.
/// </remarks>
internal sealed class Args
{
    private readonly Dictionary<string, string> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);
    private readonly HashSet<string> _missingValue = new(StringComparer.Ordinal);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    public List<string> Positional { get; } = [];

    /// <param name="flags">Option names that take no value.</param>
    public static Args Parse(IEnumerable<string> args, params string[] flags)
    {
        var result = new Args();
        var list = args.ToList();
        for (var i = 0; i < list.Count; i++)
        {
            var arg = list[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg == "--")
            {
                result.Positional.Add(arg);
                continue;
            }
            var name = arg[2..];
            string? inline = null;
            var eq = name.IndexOf('=', StringComparison.Ordinal);
            if (eq >= 0)
            {
                inline = name[(eq + 1)..];
                name = name[..eq];
            }
            if (flags.Contains(name))
            {
                result._flags.Add(name);
                continue;
            }
            if (inline is not null)
            {
                result._options[name] = inline;
            }
            else if (i + 1 < list.Count && !list[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                result._options[name] = list[++i];
            }
            else
            {
                // Decided when the command asks: a known option without its value, or a mistyped flag.
                result._missingValue.Add(name);
            }
        }
        return result;
    }

    public string? Option(string name)
    {
        _used.Add(name);
        if (_missingValue.Contains(name))
        {
            throw new UsageException($"--{name} needs a value");
        }
        return _options.GetValueOrDefault(name);
    }

    public string RequiredOption(string name) =>
        Option(name) is { Length: > 0 } value ? value : throw new UsageException($"--{name} is required");

    public int IntOption(string name, int fallback, int min, int max)
    {
        var text = Option(name);
        if (text is null)
        {
            return fallback;
        }
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new UsageException($"--{name} must be a whole number from {min} to {max}");
        }
        return value;
    }

    public bool Flag(string name)
    {
        _used.Add(name);
        return _flags.Contains(name);
    }

    /// <summary>Fails on options nobody asked for, so a typo is an error rather than silently ignored.</summary>
    public void RejectUnknown()
    {
        var unknown = _options.Keys.Concat(_flags).Concat(_missingValue).Where(k => !_used.Contains(k)).Distinct().ToList();
        if (unknown.Count == 0)
        {
            return;
        }
        var hints = unknown.Select(u => Suggest(u, _used) is { } near ? $" (did you mean --{near}?)" : "").ToList();
        throw new UsageException($"unknown option{(unknown.Count > 1 ? "s" : "")}: {string.Join(", ", unknown.Select((u, i) => "--" + u + hints[i]))}");
    }

    /// <summary>The known option nearest to a mistyped one, if it is near enough to be the likely intent.</summary>
    internal static string? Suggest(string typed, IEnumerable<string> known)
    {
        var best = known.Select(k => (Name: k, Distance: Distance(typed.ToLowerInvariant(), k.ToLowerInvariant())))
            .OrderBy(k => k.Distance).ThenBy(k => k.Name, StringComparer.Ordinal).FirstOrDefault();
        var limit = Math.Max(1, Math.Min(3, typed.Length / 3));
        return best.Name is not null && (best.Distance <= limit || best.Name.StartsWith(typed, StringComparison.OrdinalIgnoreCase) && typed.Length >= 3)
            ? best.Name
            : null;
    }

    /// <summary>Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours.</summary>
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }
        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }
        return d[a.Length, b.Length];
    }
}
