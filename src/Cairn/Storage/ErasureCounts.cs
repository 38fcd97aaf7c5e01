namespace Cairn.Storage;

/// <summary>What an erasure removed (or rewrote), table by table.</summary>
internal sealed record ErasureCounts(IReadOnlyDictionary<string, long> Tables)
{
    public static readonly ErasureCounts None = new(new Dictionary<string, long>());

    public long Total => Tables.Values.Sum();

    public long this[string table] => Tables.GetValueOrDefault(table);

    public ErasureCounts Plus(ErasureCounts other)
    {
        var sum = new Dictionary<string, long>(Tables, StringComparer.Ordinal);
        foreach (var (table, rows) in other.Tables)
        {
            sum[table] = sum.GetValueOrDefault(table) + rows;
        }
        return new ErasureCounts(sum);
    }
}
