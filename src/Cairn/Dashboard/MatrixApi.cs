using Cairn.Progress.Storage;
using System.Globalization;
using System.Text.Json;
using Cairn.Access;
using Cairn.Catalogs;
using Cairn.Progress;
using Cairn.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Cairn.Dashboard;

/// <summary>The class progress matrix: one dense read, changes since a cursor, a live stream, and the drill-down.</summary>
internal static class MatrixApi
{
    public static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);

    /// <param name="Name">What the event meant: the catalog pattern's name, or the built-in event's meaning (null when the pattern has none).</param>
    internal sealed record DrillEvent(string EventId, string EventType, DateTimeOffset Timestamp, JsonElement Data, string? Name);

    /// <param name="Why">Why a completed cell has its color, one phrase per bound of the green rule ("6 min 39 s; green needs at most 5 min").</param>
    internal sealed record DrillDown(
        string GroupId, string PlayerKey, string DisplayName, MatrixPoint Point, string Status, double? Score, double? DurationSeconds, int? Count,
        DateTimeOffset? CompletedAt, string? ScoreVersion, DrillEvent? Reset, DrillEvent? Start, DrillEvent? Completion, IReadOnlyList<DrillEvent> Counted,
        IReadOnlyList<string> Why);

    public static RouteGroupBuilder MapMatrixApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/groups/{groupId}").RequireReader().WithTags("Matrix")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/progress", GetProgressAsync).WithName("getGroupProgress")
            .WithSummary("The class matrix (players × points, with a cursor); with ?since=<cursor> only the cells changed since (MatrixChanges).");
        group.MapGet("/progress/stream", StreamAsync).WithName("streamGroupProgress")
            .WithSummary("Server-Sent Events: one 'cell' event (a CellUpdate, id = its change sequence) per changed cell; Last-Event-ID or ?since= resumes.")
            .Produces<CellUpdate>(StatusCodes.Status200OK, "text/event-stream").ProducesProblem(StatusCodes.Status429TooManyRequests);
        group.MapGet("/players/{playerKey}/points/{pointId}", DrillDownAsync).WithName("getCellDrillDown")
            .WithSummary("One cell of the matrix and the events that decided it.");
        return group;
    }

    /// <summary>
    /// The group a request names, within the caller's org (<c>?org=</c> for the admin token when several orgs have the id),
    /// or the problem to answer: 404 outside the caller's scope, exactly as if the group did not exist.
    /// </summary>
    internal static async Task<(GroupRecord? Group, ProblemHttpResult? Problem)> ResolveGroupAsync(
        HttpContext http, string groupId, string? org, Scopes scopes, CancellationToken cancellationToken)
    {
        var lookup = await scopes.FindGroupAsync(Authentication.Current(http), groupId, org, cancellationToken);
        return lookup.Group is { } group
            ? (group, null)
            : (null, lookup.Ambiguous ? Problems.BadRequest(lookup.AmbiguousDetail(groupId)) : Problems.NotFound($"No group '{groupId}'."));
    }

    private static async Task<Results<Ok<Matrix>, Ok<MatrixChanges>, ProblemHttpResult>> GetProgressAsync(
        HttpContext http, string groupId, string? org, string? since, Scopes scopes, MatrixReader reader, CancellationToken cancellationToken)
    {
        var (group, problem) = await ResolveGroupAsync(http, groupId, org, scopes, cancellationToken);
        if (group is null)
        {
            return problem!;
        }
        if (since is null)
        {
            return TypedResults.Ok(await reader.ReadAsync(group, cancellationToken));
        }
        if (!Cursor.TryDecode(since, out var after, out _) || after < 0)
        {
            return Problems.BadRequest("'since' must be a cursor from an earlier answer.");
        }
        var cells = new Dictionary<(string, string), CellUpdate>();
        var last = after;
        while (true)
        {
            var (changes, next) = await reader.ChangesAsync(group, last, 1_000, cancellationToken);
            foreach (var (_, cell) in changes)
            {
                cells[(cell.PlayerKey, cell.PointId)] = cell;
            }
            if (next == last)
            {
                break;
            }
            last = next;
        }
        return TypedResults.Ok(new MatrixChanges([.. cells.Values], Cursor.Encode(last, 0)));
    }

    /// <summary>
    /// Server-Sent Events, one <c>cell</c> event per changed cell, with the change's sequence number as its id, so a
    /// client that reconnects with <c>Last-Event-ID</c> (or <c>?since=</c> a matrix cursor) misses nothing. On every
    /// wake-up the stream checks again that its token (or browser session) still works and still covers the group; when
    /// not, it sends an <c>end</c> event and closes. A token holds at most <see cref="LiveStreams.MaxPerToken"/> streams.
    /// </summary>
    private static async Task StreamAsync(
        HttpContext http, string groupId, string? org, string? since, IGroupStore groups, IProgressStore progress, Scopes scopes, MatrixReader reader, ProgressFeed feed,
        LiveStreams streams, ApiKeys keys, IOptions<JsonOptions> json, CancellationToken cancellationToken)
    {
        var (group, problem) = await ResolveGroupAsync(http, groupId, org, scopes, cancellationToken);
        if (group is null)
        {
            await problem!.ExecuteAsync(http);
            return;
        }
        long last;
        var lastEventId = http.Request.Headers["Last-Event-ID"].ToString();
        if (lastEventId.Length > 0)
        {
            if (!long.TryParse(lastEventId, NumberStyles.None, CultureInfo.InvariantCulture, out last))
            {
                await Problems.BadRequest("Last-Event-ID must be the id of an event this stream sent.").ExecuteAsync(http);
                return;
            }
        }
        else if (since is not null)
        {
            if (!Cursor.TryDecode(since, out last, out _))
            {
                await Problems.BadRequest("'since' must be a cursor from the matrix.").ExecuteAsync(http);
                return;
            }
        }
        else
        {
            last = await progress.GetLatestChangeAsync(cancellationToken);
        }
        using var lease = streams.TryOpen(Authentication.Current(http));
        if (lease is null)
        {
            await Problems.TooManyRequests(http, 30, string.Create(CultureInfo.InvariantCulture,
                $"This token already holds {streams.MaxPerToken} live streams (Dashboard:MaxStreamsPerToken); close one first.")).ExecuteAsync(http);
            return;
        }

        http.Response.ContentType = "text/event-stream";
        http.Response.Headers["X-Accel-Buffering"] = "no";
        var body = http.Response.Body;
        await WriteAsync(body, "retry: 2000\n\n", cancellationToken);
        await http.Response.Body.FlushAsync(cancellationToken);
        var lastWrite = DateTimeOffset.UtcNow;
        var lastGroupCheck = DateTimeOffset.UtcNow;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var wait = feed.WaitAsync(Poll, cancellationToken);
                // The caller comes from the same caches a request uses (revocation and sign-out here apply at once, elsewhere
                // within their cache time); the group, for its teachers, is read again at most once per poll.
                var caller = await Authentication.RecheckAsync(http, keys);
                var current = group;
                if (DateTimeOffset.UtcNow - lastGroupCheck >= Poll)
                {
                    current = await groups.GetGroupAsync(group.OrgId, groupId, cancellationToken);
                    lastGroupCheck = DateTimeOffset.UtcNow;
                }
                if (current is null || caller is null or Caller.IngestKey || !Scopes.CoversGroup(caller, current))
                {
                    await WriteAsync(body, "event: end\ndata: {\"reason\":\"The token or session no longer covers this group.\"}\n\n", cancellationToken);
                    await body.FlushAsync(cancellationToken);
                    return;
                }
                group = current;
                var (changes, next) = await reader.ChangesAsync(group, last, 500, cancellationToken);
                foreach (var (seq, cell) in changes)
                {
                    var data = JsonSerializer.Serialize(cell, json.Value.SerializerOptions);
                    await WriteAsync(body, $"event: cell\nid: {seq.ToString(CultureInfo.InvariantCulture)}\ndata: {data}\n\n", cancellationToken);
                }
                if (changes.Count > 0 || next != last)
                {
                    last = next;
                    await body.FlushAsync(cancellationToken);
                    lastWrite = DateTimeOffset.UtcNow;
                    continue;
                }
                if (DateTimeOffset.UtcNow - lastWrite >= Heartbeat)
                {
                    await WriteAsync(body, ": heartbeat\n\n", cancellationToken);
                    await body.FlushAsync(cancellationToken);
                    lastWrite = DateTimeOffset.UtcNow;
                }
                await wait;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away.
        }
    }

    private static ValueTask WriteAsync(Stream body, string text, CancellationToken cancellationToken) =>
        body.WriteAsync(System.Text.Encoding.UTF8.GetBytes(text), cancellationToken);

    private static async Task<Results<Ok<DrillDown>, ProblemHttpResult>> DrillDownAsync(
        HttpContext http, string groupId, string playerKey, string pointId, string? org, Stores store, IProgressStore progress, Scopes scopes, CatalogRegistry catalogs,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var (group, problem) = await ResolveGroupAsync(http, groupId, org, scopes, cancellationToken);
        if (group is null && problem!.StatusCode == StatusCodes.Status400BadRequest)
        {
            return problem;
        }
        var drill = group is null ? null : await ExplainAsync(group, playerKey, pointId, store, progress, catalogs, time, cancellationToken);
        return drill is null ? Problems.NotFound("No such group, member or point.") : TypedResults.Ok(drill);
    }

    /// <summary>The cell and the events that decided it; null when the member or point does not exist.</summary>
    internal static async Task<DrillDown?> ExplainAsync(
        GroupRecord group, string playerKey, string pointId, Stores store, IProgressStore progress, CatalogRegistry catalogs, TimeProvider time, CancellationToken cancellationToken)
    {
        if (catalogs.Current.For(group.Game) is not { } catalog
            || !catalog.PointsById.TryGetValue(pointId, out var point))
        {
            return null;
        }
        var member = (await store.Groups.GetMembersAsync(group.OrgId, group.Id, cancellationToken)).FirstOrDefault(m => m.PlayerKey == playerKey);
        if (member is null)
        {
            return null;
        }
        var history = await store.Events.GetHistoryAsync(group.OrgId, group.Game, playerKey, point.EventTypes.ToList(), cancellationToken);
        var explanation = ProgressCalculator.Explain(catalog, point, group.OrgId, playerKey, history, time.GetUtcNow());
        var row = (await progress.GetPlayerProgressAsync(playerKey, group.Game, cancellationToken)).FirstOrDefault(r => r.PointId == pointId && r.OrgId == group.OrgId);
        return new DrillDown(
            group.Id, playerKey, MatrixReader.LabelOf(member), new MatrixPoint(point.Id, point.Unit, point.Title),
            row?.Status ?? "white", row?.Score, row?.DurationSeconds, row?.Count, row?.CompletionTime, row?.ScoreVersion,
            Drill(explanation.Reset, _ => "reset to an earlier point"), Drill(explanation.Start, _ => point.Start?.Name),
            Drill(explanation.Completion, e => CompletionName(point, e)), explanation.Counted.Select(e => Drill(e, _ => point.Count?.Name)!).ToList(),
            row is null || row.IsStarted ? [] : Words.Why(point, row.DurationSeconds, row.Count));
    }

    private static DrillEvent? Drill(HistoryEvent? e, Func<HistoryEvent, string?> name) =>
        e is null ? null : new DrillEvent(e.EventId, e.EventType, e.Timestamp, e.Data, name(e));

    /// <summary>The name of the completion pattern an event matched (one of several with <c>completeAny</c>).</summary>
    internal static string? CompletionName(PointDefinition point, HistoryEvent e) =>
        e.EventType == BuiltInEvents.Completed
            ? "marked as completed"
            : point.Complete.FirstOrDefault(p => PatternMatcher.Matches(p, e.EventType, e.Data))?.Name;
}
