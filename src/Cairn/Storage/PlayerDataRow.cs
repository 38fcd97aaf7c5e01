using System.Text.Json;

namespace Cairn.Storage;

/// <summary>One row of a player's data, from any table of <see cref="PlayerData"/>: the table's name and its columns as JSON.</summary>
internal sealed record PlayerDataRow(string Table, JsonElement Row);
