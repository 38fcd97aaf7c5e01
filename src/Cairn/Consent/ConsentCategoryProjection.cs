using Cairn.Projections;
using Cairn.Storage;

namespace Cairn.Consent;

/// <summary>
/// The per-category consent choices, kept as a projection only for its table: no event concerns it (it queues no job),
/// and its table holding playerKeys is declared so erasure, retention, export and rekeying reach it.
/// </summary>
internal sealed class ConsentCategoryProjection : IProjection
{
    public const string Name = "consent_categories";

    /// <summary>The choices (moved as they are on a rekey; no retention time of their own: they live as long as the player).</summary>
    public static readonly IReadOnlyList<PlayerKeyTable> PlayerTables =
    [
        new("consent_categories", Name, ["org_id", "category"], JobKeyColumn: null, RetentionColumn: null),
    ];

    string IProjection.Name => Name;

    public void Collect(ProjectionEvent e, ICollection<string> keys)
    {
    }

    public Task<object?> ComputeAsync(JobLease job, CancellationToken cancellationToken) => Task.FromResult<object?>(null);
}
