using Cairn.Progress.Storage;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Cairn.Storage;

namespace Cairn.Privacy;

/// <summary>
/// Writes events or progress rows as CSV or JSON while they are read: memory stays constant whatever the size.
/// Rows outside the caller's (game, player) reach are skipped as they are read. Rows carry the playerKey; the raw id and display name only when the caller asked for names and may see them.
/// </summary>
internal sealed class Exporter(Stores store)
{
    private readonly IProgressStore _progress = store.Projection<IProgressStore>(Progress.ProgressProjection.Name);

    public const string Csv = "csv";
    public const string Json = "json";

    private readonly Dictionary<string, PlayerInfo?> _players = new(StringComparer.Ordinal);

    public async Task<long> WriteEventsAsync(
        Stream output, string format, ExportFilter filter, bool names, Func<string, string?, bool> allows, CancellationToken cancellationToken)
    {
        string[] header = ["eventId", "eventType", "timestamp", "game", "source", "playerKey", .. names ? new[] { "playerId", "displayName" } : [],
            "sessionId", "eventKey", "privacyLevel", "receivedAt", "data", "device", "context"];
        await using var writer = new RowWriter(output, format, header);
        long rows = 0;
        await foreach (var e in store.Events.ExportEventsAsync(filter, cancellationToken))
        {
            if (!allows(e.Game, e.PlayerKey))
            {
                continue;
            }
            var (raw, name) = names ? await NamesAsync(e.PlayerKey, cancellationToken) : (null, null);
            await writer.WriteAsync([
                e.EventId, e.EventType, Time(e.Timestamp), e.Game, e.Source, e.PlayerKey, .. names ? new[] { raw, name } : [],
                e.SessionId, e.EventKey, e.PrivacyLevel, Time(e.ReceivedAt), new RawJson(e.Data.GetRawText()),
                e.Device is { } d ? new RawJson(d.GetRawText()) : null, e.Context is { } c ? new RawJson(c.GetRawText()) : null,
            ], cancellationToken);
            rows++;
        }
        return rows;
    }

    public async Task<long> WriteProgressAsync(
        Stream output, string format, ExportFilter filter, bool names, Func<string, string?, bool> allows, CancellationToken cancellationToken)
    {
        string[] header = ["game", "playerKey", .. names ? new[] { "playerId", "displayName" } : [], "pointId", "status", "score",
            "durationSeconds", "count", "completedAt", "scoreVersion", "triggerEventId", "updatedAt", "startedAt"];
        await using var writer = new RowWriter(output, format, header);
        long rows = 0;
        await foreach (var r in _progress.ExportProgressAsync(filter, cancellationToken))
        {
            if (!allows(r.Game, r.PlayerKey))
            {
                continue;
            }
            var (raw, name) = names ? await NamesAsync(r.PlayerKey, cancellationToken) : (null, null);
            await writer.WriteAsync([
                r.Game, r.PlayerKey, .. names ? new[] { raw, name } : [], r.PointId, r.Status, r.Score, r.DurationSeconds, r.Count,
                r.CompletionTime is { } completed ? Time(completed) : null, r.ScoreVersion, r.TriggerEventId, Time(r.UpdatedAt),
                r.StartedAt is { } started ? Time(started) : null,
            ], cancellationToken);
            rows++;
        }
        return rows;
    }

    /// <summary>
    /// The rows of every projection's exported tables (<see cref="PlayerData"/>) as JSON, one object per row:
    /// <c>{"table": …, "row": {…}}</c> (with <c>playerId</c> and <c>displayName</c> when asked for), within the caller's reach.
    /// </summary>
    public async Task<long> WriteProjectionRowsAsync(
        Stream output, ExportFilter filter, bool names, Func<string, string?, bool> allows, CancellationToken cancellationToken)
    {
        string[] header = ["table", .. names ? new[] { "playerId", "displayName" } : [], "row"];
        await using var writer = new RowWriter(output, Json, header);
        long rows = 0;
        await foreach (var r in store.Privacy.ExportPlayerDataAsync(filter.OrgId, filter.PlayerKeys, cancellationToken))
        {
            var game = r.Row.TryGetProperty("game", out var g) && g.ValueKind == JsonValueKind.String ? g.GetString() : null;
            var playerKey = r.Row.TryGetProperty("player_key", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString() : null;
            if ((filter.Game is not null && game != filter.Game) || !allows(game ?? "", playerKey))
            {
                continue;
            }
            var (raw, name) = names ? await NamesAsync(playerKey, cancellationToken) : (null, null);
            await writer.WriteAsync([r.Table, .. names ? new[] { raw, name } : [], new RawJson(r.Row.GetRawText())], cancellationToken);
            rows++;
        }
        return rows;
    }

    private async Task<(string? Raw, string? Name)> NamesAsync(string? playerKey, CancellationToken cancellationToken)
    {
        if (playerKey is null)
        {
            return (null, null);
        }
        if (!_players.TryGetValue(playerKey, out var player))
        {
            player = _players[playerKey] = await store.Directory.GetPlayerAsync(playerKey, cancellationToken);
        }
        return (player?.RawPlayerId, player?.DisplayName);
    }

    private static string Time(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    /// <summary>A value that is JSON already (written as is in JSON, as text in CSV).</summary>
    private sealed record RawJson(string Text);

    /// <summary>One CSV line or one JSON object per row, flushed in chunks.</summary>
    private sealed class RowWriter : IAsyncDisposable
    {
        private readonly Stream _output;
        private readonly string[] _header;
        private readonly bool _json;
        private readonly MemoryStream _buffer = new();
        private readonly Utf8JsonWriter? _writer;
        private readonly StreamWriter? _text;

        public RowWriter(Stream output, string format, string[] header)
        {
            _output = output;
            _header = header;
            _json = format == Json;
            if (_json)
            {
                _writer = new Utf8JsonWriter(_buffer);
                _writer.WriteStartArray();
            }
            else
            {
                _text = new StreamWriter(_buffer, new UTF8Encoding(false)) { NewLine = "\r\n" };
                _text.WriteLine(string.Join(',', header.Select(Escape)));
            }
        }

        public async Task WriteAsync(object?[] values, CancellationToken cancellationToken)
        {
            if (_writer is not null)
            {
                _writer.WriteStartObject();
                for (var i = 0; i < values.Length; i++)
                {
                    _writer.WritePropertyName(_header[i]);
                    switch (values[i])
                    {
                        case null: _writer.WriteNullValue(); break;
                        case RawJson json: _writer.WriteRawValue(json.Text, skipInputValidation: true); break;
                        case double d: _writer.WriteNumberValue(d); break;
                        case int n: _writer.WriteNumberValue(n); break;
                        case var v: _writer.WriteStringValue(Convert.ToString(v, CultureInfo.InvariantCulture)); break;
                    }
                }
                _writer.WriteEndObject();
                await _writer.FlushAsync(cancellationToken);
            }
            else
            {
                _text!.WriteLine(string.Join(',', values.Select(v => Escape(v switch
                {
                    null => "",
                    RawJson json => json.Text,
                    double d => d.ToString("R", CultureInfo.InvariantCulture),
                    var other => Convert.ToString(other, CultureInfo.InvariantCulture) ?? "",
                }))));
                await _text.FlushAsync(cancellationToken);
            }
            if (_buffer.Length > 32 * 1024)
            {
                await DrainAsync(cancellationToken);
            }
        }

        private async Task DrainAsync(CancellationToken cancellationToken)
        {
            _buffer.Position = 0;
            await _buffer.CopyToAsync(_output, cancellationToken);
            _buffer.SetLength(0);
            await _output.FlushAsync(cancellationToken);
        }

        /// <summary>RFC 4180 quoting; a leading = + - @ is neutralized so a spreadsheet never runs a cell as a formula.</summary>
        private static string Escape(string value)
        {
            if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' && !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            {
                value = "'" + value;
            }
            return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
        }

        public async ValueTask DisposeAsync()
        {
            if (_writer is not null)
            {
                _writer.WriteEndArray();
                await _writer.FlushAsync();
                await _writer.DisposeAsync();
            }
            else
            {
                await _text!.FlushAsync();
            }
            await DrainAsync(CancellationToken.None);
            if (_text is not null)
            {
                await _text.DisposeAsync();
            }
        }
    }
}
