namespace Cairn.Storage;

/// <summary>
/// A projection's table that holds a playerKey, declared once so that erasure, retention, export and rekeying reach it
/// without being edited (<see cref="IPrivacyStore"/>).
/// </summary>
/// <param name="Name">The table.</param>
/// <param name="Projection">The projection that owns it.</param>
/// <param name="RowKey">The columns that, with <c>player_key</c>, identify a row (e.g. <c>org_id, game, point_id</c>):
/// on a rekey, a row whose twin already exists under the new key is dropped rather than moved.</param>
/// <param name="JobKeyColumn">The column holding the projection's job key: a rekey requeues a recompute of each such key under
/// the new playerKey (from the merged history). Null for a log that is moved as it is.</param>
/// <param name="RetentionColumn">A time column (store time): rows older than the retention cutoff are purged with the events
/// (null: the rows live as long as the player, and go with erasure).</param>
/// <param name="Exported">Whether a player's data export includes the table.</param>
internal sealed record PlayerKeyTable(
    string Name,
    string Projection,
    IReadOnlyList<string> RowKey,
    string? JobKeyColumn,
    string? RetentionColumn,
    bool Exported = true);
