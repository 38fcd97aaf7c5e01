using Cairn.Storage;

namespace Cairn.Ingest;

/// <summary>
/// A batch after normalize → validate → pseudonymize, before it is written. Results of rejected events are
/// final already; those of the events to write are settled by <see cref="IngestPipeline.Complete"/>.
/// </summary>
internal sealed record PreparedBatch(EventResult?[] Results, int[] WriteIndexes, List<string>?[] Notes, WriteBatch Batch);
