namespace Cairn.Storage;

/// <summary>What an erasure removed, table by table.</summary>
internal sealed record ErasureCounts(long Events, long Rejected, long Jobs, long Progress, long Changes, long Memberships, long Directory)
{
    public long Total => Events + Rejected + Jobs + Progress + Changes + Memberships + Directory;
}
