using System.Collections.Frozen;

namespace Cairn.Projections;

/// <summary>The registered projections, by name: what ingest asks which jobs an event triggers, and what workers run.</summary>
internal sealed class ProjectionSet
{
    private readonly FrozenDictionary<string, IProjection> _byName;
    private readonly IProjection[] _all;

    public ProjectionSet(IEnumerable<IProjection> projections)
    {
        _all = [.. projections];
        _byName = _all.ToFrozenDictionary(p => p.Name, StringComparer.Ordinal);
    }

    /// <summary>Makes every module's projection on the given context.</summary>
    public static ProjectionSet From(IEnumerable<ProjectionModule> modules, ProjectionContext context) =>
        new(modules.Select(m => m.Create(context)));

    public IReadOnlyCollection<string> Names => _byName.Keys;

    public IProjection? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>The jobs an event triggers, in memory (null when none).</summary>
    public IReadOnlyList<JobKey>? JobsFor(ProjectionEvent e)
    {
        List<JobKey>? jobs = null;
        var keys = new List<string>();
        foreach (var projection in _all)
        {
            keys.Clear();
            projection.Collect(e, keys);
            foreach (var key in keys)
            {
                (jobs ??= []).Add(new JobKey(projection.Name, key));
            }
        }
        return jobs;
    }
}
