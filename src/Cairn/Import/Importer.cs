using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Cairn.Ingest;
using Cairn.Storage;

namespace Cairn.Import;

/// <summary>
/// Reads an export file and sends its rows through the same pipeline and store write as HTTP ingest,
/// one transaction per batch. Idempotent: re-importing a file stores nothing new.
/// </summary>
internal sealed class Importer(IngestPipeline pipeline, IEventStore store)
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
            throw new ImportException($"file '{request.File}' does not exist");
        }

        var scope = new IngestScope(request.OrgId, game);
        var mapper = new RowMapper(mapping);
        await using var file = new FileStream(request.File, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
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
                switch (result.Status)
                {
                    case EventResult.Accepted: accepted++; break;
                    case EventResult.Duplicate: duplicates++; break;
                    case EventResult.Dropped: dropped++; break;
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

        await foreach (var (node, bytes, problem) in ReadRowsAsync(text, format, mapper, cancellationToken))
        {
            rows++;
            batch.Add(new IncomingEvent(problem is null && node is JsonObject row ? mapper.Map(row) : node, bytes, Raw: null, problem));
            if (batch.Count >= request.BatchSize)
            {
                await FlushAsync();
            }
        }
        await FlushAsync();
        return new ImportSummary(rows, accepted, duplicates, rejected, byReason, dropped);
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

    private static async IAsyncEnumerable<(JsonNode? Node, int Bytes, EventError? Problem)> ReadRowsAsync(
        StreamReader text, string format, RowMapper mapper, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        switch (format)
        {
            case "jsonl":
                while (await text.ReadLineAsync(cancellationToken) is { } line)
                {
                    if (string.IsNullOrWhiteSpace(line))
                    {
                        continue;
                    }
                    var (node, problem) = ParseLine(line, mapper);
                    yield return (node, System.Text.Encoding.UTF8.GetByteCount(line), problem);
                }
                break;
            case "json":
                using (var document = ParseFile(await text.ReadToEndAsync(cancellationToken)))
                {
                    var root = document.RootElement;
                    var items = root.ValueKind switch
                    {
                        JsonValueKind.Array => root,
                        JsonValueKind.Object when root.TryGetProperty("events", out var events) && events.ValueKind == JsonValueKind.Array => events,
                        _ => throw new ImportException("a JSON import must be an array of events or {\"events\": [...]}"),
                    };
                    foreach (var item in items.EnumerateArray())
                    {
                        var bytes = JsonMarshal.GetRawUtf8Value(item).Length;
                        if (JsonHazards.Find(item) is { } problem)
                        {
                            yield return (JsonValue.Create(item.GetRawText()), bytes, problem);
                            continue;
                        }
                        var node = JsonNode.Parse(item.GetRawText());
                        yield return (node is JsonObject o ? mapper.FromObject(o) : node, bytes, null);
                    }
                }
                break;
            default:
                var reader = new DelimitedReader(text, format == "tsv" ? '\t' : ',');
                var header = reader.ReadRecord() ?? throw new ImportException("the file is empty (no header row)");
                while (reader.ReadRecord() is { } record)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (record.Count == 1 && record[0].Length == 0)
                    {
                        continue;
                    }
                    yield return (mapper.FromRecord(header, record), record.Sum(f => f.Length) + record.Count, null);
                }
                break;
        }
    }

    private static JsonDocument ParseFile(string json)
    {
        try
        {
            return JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException ex)
        {
            throw new ImportException($"the file is not valid JSON: {ex.Message}");
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
