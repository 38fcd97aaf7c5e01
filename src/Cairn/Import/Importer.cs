using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cairn.Ingest;
using Cairn.Storage;

namespace Cairn.Import;

/// <summary>
/// Reads an export file and sends its rows through the same pipeline and store write as HTTP ingest,
/// one transaction per batch. Idempotent: re-importing a file stores nothing new.
/// </summary>
internal sealed class Importer(IngestPipeline pipeline, IEventLog store)
{
    public async Task<ImportSummary> RunAsync(ImportRequest request, Action<ImportProgress>? progress, CancellationToken cancellationToken)
    {
        var mapping = request.Mapping;
        var game = mapping.Game ?? throw new ImportException("the import needs a game: --game GAME or 'game:' in the mapping");
        var format = (request.Format ?? mapping.Format ?? FormatOf(request.File)).ToLowerInvariant();
        if (format is not ("jsonl" or "json" or "csv" or "tsv"))
        {
            throw new ImportException($"unknown format '{format}' (expected jsonl, json, csv or tsv)");
        }
        if (!File.Exists(request.File))
        {
            throw new ImportException($"{request.File}: the file does not exist");
        }

        var scope = new IngestScope(request.OrgId, game);
        var mapper = new RowMapper(mapping, value => pipeline.PlayerKeys.TemplateHash(request.OrgId, value));
        await using var file = Open(request.File);
        Stream stream = request.File.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
        await using var _ = stream;
        using var text = new StreamReader(stream);

        long rows = 0, accepted = 0, duplicates = 0, rejected = 0, dropped = 0;
        var byReason = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var batch = new List<IncomingEvent>(request.BatchSize);

        async Task FlushAsync()
        {
            if (batch.Count == 0)
            {
                return;
            }
            var prepared = pipeline.Prepare(scope, batch);
            var inserted = (await store.WriteAsync([prepared.Batch], cancellationToken))[0];
            foreach (var result in IngestPipeline.Complete(prepared, inserted))
            {
                if (result.OptedOut)
                {
                    dropped++;
                    continue;
                }
                switch (result.Status)
                {
                    case EventResult.Accepted: accepted++; break;
                    case EventResult.Duplicate: duplicates++; break;
                    default:
                        rejected++;
                        foreach (var code in result.Errors!.Select(e => string.IsNullOrEmpty(e.Path) ? e.Code : $"{e.Path}: {e.Code}").Distinct())
                        {
                            byReason[code] = byReason.GetValueOrDefault(code) + 1;
                        }
                        break;
                }
            }
            batch.Clear();
            progress?.Invoke(new ImportProgress(rows, file.Position, file.Length, accepted, duplicates, rejected));
        }

        long line = 0;
        try
        {
            await foreach (var (node, bytes, at, problem) in ReadRowsAsync(request.File, text, format, mapper, cancellationToken))
            {
                rows++;
                line = at;
                batch.Add(new IncomingEvent(
                    problem is null && node is JsonObject row ? MapRow(mapper, row, request.File, at, rows) : node, bytes, Raw: null, problem));
                if (batch.Count >= request.BatchSize)
                {
                    await FlushAsync();
                }
            }
        }
        catch (InvalidDataException ex)
        {
            // GZipStream's error for a file that is not gzip, or whose compressed data is damaged: the rows before it are stored.
            throw ImportException.At(request.File, line + 1, 1, $"not readable as gzip ({ex.Message})");
        }
        await FlushAsync();
        return new ImportSummary(rows, accepted, duplicates, rejected, byReason, dropped);
    }

    private static FileStream Open(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new ImportException($"{path}: the file cannot be read ({ex.Message})");
        }
    }

    private static string FormatOf(string path)
    {
        var name = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? path[..^3] : path;
        return Path.GetExtension(name).TrimStart('.') switch
        {
            "ndjson" => "jsonl",
            var ext => ext,
        };
    }

    /// <summary>
    /// A row's mapping can only fail on a JSON object that the parser took but cannot hold, such as one with a property
    /// twice: the import stops there with the place, rather than with a stack trace.
    /// </summary>
    private static JsonNode MapRow(RowMapper mapper, JsonObject row, string file, long line, long rowNumber)
    {
        try
        {
            return mapper.Map(row);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            throw line > 0 ? ImportException.At(file, line, 1, ex.Message) : new ImportException($"{file}: item {rowNumber}: {ex.Message}");
        }
    }

    /// <returns>
    /// Each row, its size, the line it starts on (0 in a JSON array, whose items have no line of their own here), and why it
    /// cannot be an event when it cannot (a JSONL line that is not JSON, hostile JSON): the pipeline rejects such a row
    /// with that reason, and the quarantine keeps only its size and a keyed hash.
    /// </returns>
    private static async IAsyncEnumerable<(JsonNode? Node, int Bytes, long Line, EventError? Problem)> ReadRowsAsync(
        string file, StreamReader text, string format, RowMapper mapper, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        switch (format)
        {
            case "jsonl":
                long number = 0;
                while (await text.ReadLineAsync(cancellationToken) is { } line)
                {
                    number++;
                    if (string.IsNullOrWhiteSpace(line))
                    {
                        continue;
                    }
                    var (node, problem) = ParseLine(line, mapper);
                    yield return (node, System.Text.Encoding.UTF8.GetByteCount(line), number, problem);
                }
                break;
            case "json":
                using (var document = ParseFile(file, await text.ReadToEndAsync(cancellationToken)))
                {
                    var root = document.RootElement;
                    var items = root.ValueKind switch
                    {
                        JsonValueKind.Array => root,
                        JsonValueKind.Object when root.TryGetProperty("events", out var events) && events.ValueKind == JsonValueKind.Array => events,
                        _ => throw ImportException.At(file, 1, 1, "a JSON import must be an array of events or {\"events\": [...]}"),
                    };
                    foreach (var item in items.EnumerateArray())
                    {
                        var bytes = JsonMarshal.GetRawUtf8Value(item).Length;
                        if (JsonHazards.Find(item) is { } problem)
                        {
                            yield return (JsonValue.Create(item.GetRawText()), bytes, 0, problem);
                            continue;
                        }
                        var node = JsonNode.Parse(item.GetRawText());
                        yield return (node is JsonObject o ? mapper.FromObject(o) : node, bytes, 0, null);
                    }
                }
                break;
            default:
                var reader = new DelimitedReader(text, format == "tsv" ? '\t' : ',', file);
                var header = reader.ReadRecord() ?? throw ImportException.At(file, 1, 1, "the file is empty (no header row)");
                while (reader.ReadRecord() is { } record)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (record.Count == 1 && record[0].Length == 0)
                    {
                        continue;
                    }
                    if (record.Count > header.Count && record.Skip(header.Count).Any(f => f.Length > 0))
                    {
                        throw ImportException.At(file, reader.RecordLine, 1,
                            $"this row has {record.Count} fields, the header {header.Count}: a delimiter too many, or a field that should be quoted");
                    }
                    yield return (mapper.FromRecord(header, record), record.Sum(f => f.Length) + record.Count, reader.RecordLine, null);
                }
                break;
        }
    }

    private static JsonDocument ParseFile(string file, string json)
    {
        try
        {
            return JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException ex)
        {
            // The reader's message ends with its own 0-based "LineNumber: … | BytePositionInLine: …": the place goes in front instead.
            var reason = ex.Message.Split(" LineNumber:", 2)[0];
            throw ImportException.At(file, (ex.LineNumber ?? 0) + 1, (ex.BytePositionInLine ?? 0) + 1, $"not valid JSON: {reason}");
        }
    }

    /// <summary>One JSONL line: an event object, other JSON (rejected as not an event), or a line that is not JSON at all.</summary>
    private static (JsonNode? Node, EventError? Problem) ParseLine(string line, RowMapper mapper)
    {
        try
        {
            using var document = JsonDocument.Parse(line, new JsonDocumentOptions { MaxDepth = 64 });
            if (JsonHazards.Find(document.RootElement) is { } problem)
            {
                return (JsonValue.Create(line), problem);
            }
        }
        catch (JsonException ex)
        {
            // The pipeline rejects it with this reason; the quarantine keeps only the line's size and a keyed hash.
            var reason = ex.Message.Split(" LineNumber:", 2)[0].Split(" Path:", 2)[0];
            return (JsonValue.Create(line), new EventError("", "invalid_json", $"the line is not valid JSON: {reason}"));
        }
        var node = JsonNode.Parse(line);
        return (node is JsonObject obj ? mapper.FromObject(obj) : node, null);
    }
}
