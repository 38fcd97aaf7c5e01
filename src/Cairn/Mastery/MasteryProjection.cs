using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Cairn.Catalogs;
using Cairn.Mastery.Storage;
using Cairn.Projections;
using Cairn.Storage;

namespace Cairn.Mastery;

/// <summary>
/// The mastery projection: one row per (player, standard) of a game, the Bayesian Knowledge Tracing estimate of how likely
/// the player knows the standard. Graded LMS submissions and game stage/concept events name their standards; each named
/// standard is a key. A recompute replays the player's observations of the standard in time order (timestamp, then
/// arrival), one O(1) update each, with the standard's current parameters (<see cref="ResolveAsync"/>).
/// </summary>
internal sealed class MasteryProjection(IEventLog events, IMasteryStore store, CatalogRegistry catalogs, TimeProvider time) : IProjection
{
    public const string Name = "mastery";

    public const string Table = "mastery";

    /// <summary>The log of row changes the class mastery matrix's cursor and live stream read (<c>seq</c>: commit order).</summary>
    public const string ChangesTable = "mastery_changes";

    public static readonly IReadOnlyList<PlayerKeyTable> PlayerTables =
    [
        new(Table, Name, ["org_id", "game", "standard_id"], JobKeyColumn: "standard_id", RetentionColumn: null),
        new(ChangesTable, Name, [], JobKeyColumn: null, RetentionColumn: "changed_at", Exported: false),
    ];

    string IProjection.Name => Name;

    public void Collect(ProjectionEvent e, ICollection<string> keys)
    {
        var rules = SettingsFor(e.Game).Evidence;
        MasteryEvidence.StandardsOf(e.EventType, e.Data, keys, rules);
        if (!rules.IsEmpty)
        {
            rules.Collect(e.EventType, e.Data, e.Catalog, keys);
        }
    }

    public async Task<object?> ComputeAsync(JobLease job, CancellationToken cancellationToken)
    {
        var (parameters, observations) = await ObserveAsync(job.OrgId, job.Game, job.PlayerKey, job.Key, cancellationToken);
        return MasteryCalculator.Compute(job.OrgId, job.Game, job.PlayerKey, job.Key, observations, parameters, time.GetUtcNow());
    }

    /// <summary>
    /// The standard's parameters and the player's observations of it, oldest first (timestamp, then arrival): the events
    /// that name it (LMS grades, stage and concept events, their concept tags mapped by the catalog), the events that match
    /// a catalog evidence rule for it (one observation per event: a rule's match wins), and each evidence point once
    /// completed (green: correct, yellow: wrong; at its completion).
    /// </summary>
    public async Task<(MasteryParameters Parameters, IReadOnlyList<MasteryObservation> Observations)> ObserveAsync(
        string orgId, string game, string playerKey, string standardId, CancellationToken cancellationToken)
    {
        var parameters = await ResolveAsync(orgId, game, standardId, cancellationToken);
        var catalog = catalogs.Current.For(game);
        var rules = catalog?.Mastery.Evidence ?? MasteryEvidenceRules.None;
        var own = rules.For(standardId);
        var patterns = own.Where(r => r.Event is not null).ToList();
        var points = own.Where(r => r.Point is not null).Select(r => catalog!.PointsById.GetValueOrDefault(r.Point!)).OfType<PointDefinition>().Distinct().ToList();
        var types = MasteryEvidence.EventTypes.Concat(patterns.Select(r => r.Event!.EventType)).Concat(points.SelectMany(p => p.EventTypes))
            .Distinct(StringComparer.Ordinal).ToList();
        var history = await events.GetHistoryAsync(orgId, game, playerKey, types, cancellationToken);
        var observations = new List<MasteryObservation>();
        foreach (var e in history)
        {
            MasteryObservation? observed = null;
            foreach (var rule in patterns)
            {
                if ((observed = MasteryEvidence.Observe(e, rule, parameters.Threshold)) is not null)
                {
                    break;
                }
            }
            if ((observed ?? MasteryEvidence.Observe(e, standardId, parameters.Threshold, rules)) is { } o)
            {
                observations.Add(o);
            }
        }
        foreach (var point in points)
        {
            var pointTypes = point.EventTypes.ToHashSet(StringComparer.Ordinal);
            var row = Progress.ProgressCalculator.Compute(catalog!, point, orgId, playerKey, history.Where(e => pointTypes.Contains(e.EventType)), time.GetUtcNow());
            if (row is { IsStarted: false })
            {
                var completing = history.FirstOrDefault(e => e.EventId == row.TriggerEventId && e.Timestamp == row.CompletedAt);
                observations.Add(new MasteryObservation(row.CompletedAt, completing?.Seq ?? long.MaxValue, row.TriggerEventId,
                    completing?.EventType ?? "point:" + point.Id, row.Status == ProgressStatus.Green, null));
            }
        }
        observations.Sort((a, b) => a.At != b.At ? a.At.CompareTo(b.At) : a.Seq.CompareTo(b.Seq));
        return (parameters, observations);
    }

    /// <summary>
    /// A standard's parameters: the latest fitted version if any, else the catalog's (the standard's own, else the game's),
    /// else the built-in defaults. The threshold and the level boundaries always come from the catalog (or the defaults).
    /// </summary>
    public async Task<MasteryParameters> ResolveAsync(string orgId, string game, string standardId, CancellationToken cancellationToken)
    {
        var settings = SettingsFor(game);
        var threshold = settings.ThresholdFor(standardId);
        if (await store.GetLatestParametersAsync(orgId, game, standardId, cancellationToken) is { } fitted)
        {
            return new MasteryParameters(fitted.Parameters, threshold, settings.Levels, "fit:" + fitted.Version.ToString(CultureInfo.InvariantCulture));
        }
        return new MasteryParameters(settings.ParametersFor(standardId), threshold, settings.Levels, VersionOf(settings, standardId));
    }

    /// <summary>The version of a standard's unfitted parameters (null: a standard without settings of its own).</summary>
    public static string VersionOf(MasterySettings settings, string? standardId)
    {
        var id = standardId ?? "";
        return settings.FromCatalog ? "catalog:" + Hash(settings.ParametersFor(id), settings.ThresholdFor(id), settings.Levels, settings.Evidence.Describe(id)) : "default";
    }

    public MasterySettings SettingsFor(string game) => catalogs.Current.For(game)?.Mastery ?? MasterySettings.Default;

    private static string Hash(BktParameters p, double threshold, MasteryLevels levels, string evidence)
    {
        var text = string.Join('|', new[] { p.Prior, p.Learn, p.Guess, p.Slip, p.Forget, threshold, levels.Familiar, levels.Proficient, levels.Mastered }
            .Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
        // Without evidence rules the text is what it was before they existed, so an upgrade recomputes nothing.
        if (evidence.Length > 0)
        {
            text += "|evidence:" + evidence;
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..12];
    }
}
