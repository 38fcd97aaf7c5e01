namespace Cairn.Rollups.Storage;

/// <summary>The rollups projection's read side: a class's stored rollup, as its last job computed it.</summary>
internal interface IRollupStore
{
    /// <summary>The class's rollup, or null when no job has computed one yet.</summary>
    Task<ClassRollup?> GetClassAsync(string orgId, string game, string groupId, CancellationToken cancellationToken);
}
