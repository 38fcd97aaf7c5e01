using System.Collections.Concurrent;
using System.Text.Json;
using Cairn.Ingest;
using Cairn.Storage;
using Microsoft.Extensions.Options;

namespace Cairn.Groups;

/// <summary>
/// The LMS is the system of record for its rosters: an LMS event's <c>class_id</c> names a class of the key's org, which
/// the student joins (and which is created for the key's game when it does not exist, unless the org's
/// <see cref="OrgSettings.AutoCreateClasses"/> is off; then the event's result says the class is unknown). Runs after the
/// batch is stored, so an event is never refused for its roster. Memberships already made are remembered, so a class's
/// steady stream of events costs a dictionary lookup each and no store access; a class that does not exist (creation
/// off) is looked up again at each event naming it, so one an admin creates is joined from the next event on.
/// </summary>
internal sealed class ClassRosters(IGroupStore groups, IOptionsMonitor<OrgsOptions> orgs, ILogger<ClassRosters> logger)
{
    /// <summary>Memberships known to exist; cleared when it grows past this (then rebuilt by idempotent joins).</summary>
    public const int MaxRemembered = 200_000;

    private readonly ConcurrentDictionary<(string Org, string Class, string Player), byte> _joined = new();

    /// <summary>
    /// Joins the stored LMS events' students to their classes; returns, per result index, the warning for an event whose
    /// class does not exist (automatic creation off). A store failure is logged and leaves the rosters for the next events.
    /// </summary>
    public async Task<IReadOnlyDictionary<int, string>> ApplyAsync(IngestScope scope, PreparedBatch prepared, CancellationToken cancellationToken)
    {
        List<(int Index, string Class, string Player)>? pending = null;
        var events = prepared.Batch.Events;
        for (var w = 0; w < events.Count; w++)
        {
            var e = events[w];
            if (e.PlayerKey is not { } player || !LmsDialect.Types.Contains(e.EventType) || ClassOf(e.DataJson) is not { } classId
                || _joined.ContainsKey((e.OrgId, classId, player)))
            {
                continue;
            }
            (pending ??= []).Add((prepared.WriteIndexes[w], classId, player));
        }
        var warnings = new Dictionary<int, string>();
        // A class id is also a group id (in URLs and rosters): one that cannot be is said, and joins nothing.
        foreach (var (index, classId, _) in pending?.Where(p => !Access.AdminApi.Identifier().IsMatch(p.Class)) ?? [])
        {
            warnings[index] = $"class_id \"{Clip(classId)}\" cannot name a class (letters, digits, '_', '.', '-', up to 64 characters): " +
                "the event is stored, the student joins no class by it";
        }
        pending?.RemoveAll(p => warnings.ContainsKey(p.Index));
        if (pending is not { Count: > 0 })
        {
            return warnings;
        }
        var create = orgs.CurrentValue.For(scope.OrgId).AutoCreateClasses;
        var toJoin = pending.Select(p => (p.Class, p.Player)).Distinct().ToList();
        var missing = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            foreach (var m in await groups.JoinClassesAsync(scope.OrgId, scope.Game, toJoin, create, cancellationToken))
            {
                missing.Add(m);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.RosterFailed(logger, scope.OrgId, ex);
            return warnings;
        }
        if (_joined.Count > MaxRemembered)
        {
            _joined.Clear();
        }
        foreach (var (classId, player) in toJoin)
        {
            if (!missing.Contains(classId))
            {
                _joined.TryAdd((scope.OrgId, classId, player), 0);
            }
        }
        foreach (var (index, classId, _) in pending)
        {
            if (missing.Contains(classId))
            {
                warnings[index] = $"class_id \"{classId}\" is not a class of this org, and automatic class creation is off for it " +
                    $"(Orgs:{scope.OrgId}:AutoCreateClasses): the event is stored, the student joins no class by it";
            }
        }
        return warnings;
    }

    /// <summary>Students removed from a class by a roster: their next LMS event naming it joins them again.</summary>
    public void Forget(string orgId, string classId, IEnumerable<string> playerKeys)
    {
        foreach (var key in playerKeys)
        {
            _joined.TryRemove((orgId, classId, key), out _);
        }
    }

    /// <summary>The result list with each warning added to its event's result.</summary>
    public static EventResult[] WithWarnings(EventResult[] results, IReadOnlyDictionary<int, string> warnings)
    {
        foreach (var (index, warning) in warnings)
        {
            results[index] = results[index] with { Warnings = [.. results[index].Warnings ?? [], warning] };
        }
        return results;
    }

    private static string Clip(string text) => text.Length <= 64 ? text : text[..64] + "…";

    /// <summary>The event's <c>data.class_id</c> (the LMS dialect put it there, checked to be a short non-empty string).</summary>
    private static string? ClassOf(string dataJson)
    {
        if (!dataJson.Contains("\"class_id\"", StringComparison.Ordinal))
        {
            return null;
        }
        using var document = JsonDocument.Parse(dataJson);
        return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("class_id", out var value)
            && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } id ? id : null;
    }
}
