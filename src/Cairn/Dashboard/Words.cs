using System.Globalization;
using Cairn.Catalogs;

namespace Cairn.Dashboard;

/// <summary>How the pages put numbers, statuses and green rules into plain words.</summary>
internal static class Words
{
    /// <summary>"45 s", "6 min 39 s", "1 h 5 min".</summary>
    public static string Duration(double seconds)
    {
        var s = (long)Math.Round(Math.Max(0, seconds));
        return s switch
        {
            < 60 => Invariant($"{s} s"),
            < 3600 => s % 60 == 0 ? Invariant($"{s / 60} min") : Invariant($"{s / 60} min {s % 60} s"),
            _ => (s % 3600) / 60 == 0 ? Invariant($"{s / 3600} h") : Invariant($"{s / 3600} h {(s % 3600) / 60} min"),
        };
    }

    /// <summary>The teacher's words for a status.</summary>
    public static string Status(string status) => status switch
    {
        "green" => "green: done, on target",
        "yellow" => "yellow: done, needed more",
        "started" => "started, not done yet",
        _ => "not yet",
    };

    /// <summary>The student's words for a status.</summary>
    public static string StudentStatus(string status) => status switch
    {
        "green" => "Done, well done!",
        "yellow" => "Done (next time, aim for the target)",
        "started" => "Started: keep going!",
        _ => "Not yet",
    };

    /// <summary>
    /// Why a completed cell has its color, one phrase per bound of the green rule, e.g. "6 min 39 s; green needs at most 5 min"
    /// or "2 × asked for a hint; green allows at most 1". Empty for a point that is green whenever it is completed.
    /// </summary>
    public static IReadOnlyList<string> Why(PointDefinition point, double? durationSeconds, int? count)
    {
        var why = new List<string>();
        var g = point.Green;
        if (g.HasDuration)
        {
            var taken = durationSeconds is { } d ? Duration(d) : "no start event, so no time";
            why.Add($"{taken}; green needs {Bounds(g.DurationMin is { } lo ? Duration(lo) : null, g.DurationMax is { } hi ? Duration(hi) : null)}");
        }
        if (g.HasCount)
        {
            var what = point.Count?.Name;
            var counted = count ?? 0;
            var text = what is null ? Invariant($"{counted} counted {(counted == 1 ? "event" : "events")}") : Invariant($"{counted} × {what}");
            var bounds = Bounds(g.CountMin?.ToString(CultureInfo.InvariantCulture), g.CountMax?.ToString(CultureInfo.InvariantCulture));
            why.Add($"{text}; green allows {bounds}");
        }
        return why;
    }

    private static string Bounds(string? min, string? max) => (min, max) switch
    {
        (null, { } hi) => "at most " + hi,
        ({ } lo, null) => "at least " + lo,
        _ => $"between {min} and {max}",
    };

    /// <summary>An ISO time the browser shows in its own time zone (time.js), UTC in the tooltip and without script.</summary>
    public static string Time(DateTimeOffset at, bool seconds = true)
    {
        var utc = at.ToUniversalTime();
        var text = utc.ToString(seconds ? "yyyy-MM-dd HH:mm:ss" : "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC";
        return $"<time class=\"local\" datetime=\"{utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)}\"{(seconds ? "" : " data-precision=\"minute\"")} title=\"{text}\">{text}</time>";
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
