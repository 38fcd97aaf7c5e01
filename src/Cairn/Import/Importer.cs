using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Text.Json;
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

        await foreach (var (node, bytes) in ReadRowsAsync(text, format, mapper, cancellationToken))
        {
            rows++;
            batch.Add(new IncomingEvent(node is JsonObject row ? mapper.Map(row) : node, bytes, Raw: null));
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

    private static async IAsyncEnumerable<(JsonNode? Node, int Bytes)> ReadRowsAsync(
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
                    yield return (ParseOrRaw(line, mapper), System.Text.Encoding.UTF8.GetByteCount(line));
                }
                break;
            case "json":
                var root = JsonNode.Parse(await text.ReadToEndAsync(cancellationToken));
                var items = root switch
                {
                    JsonArray array => array,
                    JsonObject obj when obj["events"] is JsonArray events => events,
                    _ => throw new ImportException("a JSON import must be an array of events or {\"events\": [...]}"),
                };
                foreach (var item in items.ToArray())
                {
                    items.Remove(item);
                    yield return (item is JsonObject o ? mapper.FromObject(o) : item, item?.ToJsonString().Length ?? 4);
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
                    yield return (mapper.FromRecord(header, record), record.Sum(f => f.Length) + record.Count);
                }
                break;
        }
    }

    private static JsonNode? ParseOrRaw(string line, RowMapper mapper)
    {
        try
        {
            return JsonNode.Parse(line) is JsonObject obj ? mapper.FromObject(obj) : JsonValue.Create(line);
        }
        catch (JsonException)
        {
            // Not JSON: the pipeline rejects it ("an event must be a JSON object") and quarantines the line.
            return JsonValue.Create(line);
        }
    }
}
