namespace Cairn.Ingest;

/// <summary>Who is sending: the org and game an ingest key (or an import) writes for.</summary>
internal sealed record IngestScope(string OrgId, string Game);
