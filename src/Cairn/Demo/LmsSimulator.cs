using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Cairn.Demo;

/// <summary>
/// <c>cairn simulate --lms</c>: plays an <see cref="LmsClass"/> through a term in the seed 004 LMS contract. Each
/// assignment is one school day in the past (the term ends today): assigned to the whole class in the morning, submitted
/// in the afternoon, graded the next morning; a student who submits nothing has an assignment and no grade. The events
/// name the class (<c>class_id</c>), which the server creates and fills from them. Between assignments it pauses so a
/// dashboard shows mastery rising.
/// </summary>
internal sealed class LmsSimulator(HttpClient ingest, LmsClass lms, string classId, TimeSpan pause, TimeProvider time, TextWriter log)
{
    public const string Source = "cairn-lms-simulator";

    private const int BatchSize = 1_000;

    private readonly string _run = time.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);

    public long EventsSent { get; private set; }

    /// <summary>Why the server refused the events (a status and its problem detail); null while it did not.</summary>
    public string? Refusal { get; private set; }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var start = time.GetUtcNow().UtcDateTime.Date.AddDays(-lms.Assignments).AddHours(8);
        var random = new Random(lms.Assignments * 7919 + lms.Students.Count);
        log.WriteLine($"simulate: class '{classId}', {lms.Students.Count} students, {lms.Assignments} assignments on {string.Join(", ", lms.Standards)}; " +
            $"{lms.Students.Count(s => s.Drifts)} of them will drift into risk from mid-term");
        for (var k = 0; k < lms.Assignments; k++)
        {
            var day = new DateTimeOffset(start.AddDays(k), TimeSpan.Zero);
            var standard = lms.StandardOf(k);
            var assignment = $"asg-{k + 1:D2}";
            var events = new List<JsonObject>();
            var scores = new List<double>();
            for (var s = 0; s < lms.Students.Count; s++)
            {
                var student = lms.Students[s];
                events.Add(Event($"{k}-{s}-a", "ASSIGNMENT_ASSIGNED", day, student, assignment, standard, null));
                if (lms.Work(s, k) is { } score)
                {
                    events.Add(Event($"{k}-{s}-s", "SUBMISSION_CREATED", day.AddHours(5).AddMinutes(random.Next(0, 180)), student, assignment, standard, null));
                    events.Add(Event($"{k}-{s}-g", "SUBMISSION_GRADED", day.AddDays(1).AddHours(1).AddMinutes(random.Next(0, 60)), student, assignment, standard, score));
                    scores.Add(score);
                }
            }
            foreach (var batch in events.Chunk(BatchSize))
            {
                if (!await SendAsync(batch, cancellationToken))
                {
                    return;
                }
            }
            var missing = lms.Students.Count - scores.Count;
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"simulate: assignment {k + 1}/{lms.Assignments} ({standard}): {scores.Count} graded, {missing} missing, mean score {(scores.Count > 0 ? scores.Average() : 0):0}"));
            if (k + 1 < lms.Assignments && pause > TimeSpan.Zero)
            {
                await Task.Delay(pause, time, cancellationToken);
            }
        }
        var drifting = lms.Students.Where(s => s.Drifts).Select(s => s.DisplayName).ToList();
        log.WriteLine($"simulate: done, {EventsSent} events sent; drifting (missing submissions, falling scores): {(drifting.Count > 0 ? string.Join(", ", drifting) : "none")}");
    }

    private JsonObject Event(string id, string type, DateTimeOffset at, LmsStudent student, string assignment, string standard, double? score)
    {
        var e = new JsonObject
        {
            ["event_id"] = $"lms-{_run}-{id}",
            ["source"] = Source,
            ["timestamp"] = at.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["student_id"] = student.PlayerId,
            ["class_id"] = classId,
            ["assignment_id"] = assignment,
            ["standard_ids"] = new JsonArray(standard),
            ["type"] = type,
        };
        if (score is { } s)
        {
            e["score"] = s;
        }
        return e;
    }

    private async Task<bool> SendAsync(IReadOnlyList<JsonObject> events, CancellationToken cancellationToken)
    {
        var body = new JsonArray([.. events]);
        for (var attempt = 0; attempt < 6; attempt++)
        {
            try
            {
                using var response = await ingest.PostAsJsonAsync("/v1/events", body, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    EventsSent += events.Count;
                    return true;
                }
                if ((int)response.StatusCode is not (503 or 429))
                {
                    var detail = await response.Content.ReadAsStringAsync(cancellationToken);
                    Refusal = $"the server answered {(int)response.StatusCode} {response.ReasonPhrase}: {(detail.Length > 300 ? detail[..300] + "…" : detail)}";
                    return false;
                }
            }
            catch (HttpRequestException)
            {
            }
            // Same event ids on retry: the server deduplicates, so a retry never counts twice.
            await Task.Delay(TimeSpan.FromMilliseconds(250 * (attempt + 1)), cancellationToken);
        }
        Refusal = "the server did not take the events after 6 attempts";
        return false;
    }
}
