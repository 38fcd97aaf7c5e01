using System.Globalization;
using System.Text.Json;
using Cairn.Access;
using Cairn.Dashboard;
using Cairn.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Cairn.Mastery;

/// <summary>
/// The class mastery matrix (students × standards): one dense read, the changes since a cursor, and a live stream, scoped
/// and built like the progress matrix (<see cref="MatrixApi"/>).
/// </summary>
internal static class MasteryMatrixApi
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);

    public static RouteGroupBuilder MapMasteryMatrixApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/groups/{groupId}").RequireReader().WithTags("Mastery")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/mastery", GetMasteryAsync).WithName("getGroupMastery")
            .WithSummary("The class mastery matrix (students × standards: level and pMastery, with a cursor); with ?since=<cursor> only the cells changed since.");
        group.MapGet("/mastery/stream", StreamAsync).WithName("streamGroupMastery")
            .WithSummary("Server-Sent Events: one 'cell' event (a mastery MasteryCellUpdate, id = its change sequence) per changed cell; Last-Event-ID or ?since= resumes.")
            .Produces<MasteryMatrix.MasteryCellUpdate>(StatusCodes.Status200OK, "text/event-stream").ProducesProblem(StatusCodes.Status429TooManyRequests);
        return group;
    }

    private static async Task<Results<Ok<MasteryMatrix>, Ok<MasteryMatrix.MasteryChanges>, ProblemHttpResult>> GetMasteryAsync(
        HttpContext http, string groupId, string? org, string? since, Scopes scopes, MasteryMatrixReader reader, CancellationToken cancellationToken)
    {
        var (group, problem) = await MatrixApi.ResolveGroupAsync(http, groupId, org, scopes, cancellationToken);
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
            return Problems.BadRequest("'since' must be a cursor from an earlier answer of this class's mastery matrix.");
        }
        var cells = new Dictionary<(string, string), MasteryMatrix.MasteryCellUpdate>();
        var last = after;
        while (true)
        {
            var (changes, next) = await reader.ChangesAsync(group, last, 1_000, cancellationToken);
            foreach (var (_, cell) in changes)
            {
                cells[(cell.PlayerKey, cell.StandardId)] = cell;
            }
            if (next == last)
            {
                break;
            }
            last = next;
        }
        return TypedResults.Ok(new MasteryMatrix.MasteryChanges([.. cells.Values], Cursor.Encode(last, 0)));
    }

    /// <summary>
    /// Server-Sent Events like the progress stream: one <c>cell</c> event per changed mastery cell with the change's sequence
    /// number as its id (<c>Last-Event-ID</c> or <c>?since=</c> resumes); on every wake-up the stream checks again that its
    /// token or session still works and still covers the group, else sends <c>end</c> and closes; it counts against the
    /// token's <see cref="LiveStreams.MaxPerToken"/>.
    /// </summary>
    private static async Task StreamAsync(
        HttpContext http, string groupId, string? org, string? since, IGroupStore groups, Scopes scopes, MasteryMatrixReader reader,
        Storage.IMasteryStore mastery, ProgressFeed feed, LiveStreams streams, ApiKeys keys, IOptions<JsonOptions> json, CancellationToken cancellationToken)
    {
        var (group, problem) = await MatrixApi.ResolveGroupAsync(http, groupId, org, scopes, cancellationToken);
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
            if (!Cursor.TryDecode(since, out last, out _) || last < 0)
            {
                await Problems.BadRequest("'since' must be a cursor from the class's mastery matrix.").ExecuteAsync(http);
                return;
            }
        }
        else
        {
            last = await mastery.GetLatestChangeAsync(cancellationToken);
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
        await body.FlushAsync(cancellationToken);
        var lastWrite = DateTimeOffset.UtcNow;
        var lastGroupCheck = DateTimeOffset.UtcNow;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                // Woken by this process's job runner and (on PostgreSQL) by any process's committed change; else the poll.
                var wait = feed.WaitAsync(Poll, cancellationToken);
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
                if (DateTimeOffset.UtcNow - lastWrite >= MatrixApi.Heartbeat)
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
}
