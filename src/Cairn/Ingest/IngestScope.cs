namespace Cairn.Ingest;

/// <summary>Who is sending: the org and game an ingest key (or an import) writes for.</summary>
/// <paramref name="Live"/>: events sent now by a client (HTTP, WebSocket), which the game's sampling rules apply to; an
/// import of history is never sampled. <paramref name="Country"/>: the country of the client's address (Ingest:GeoIpDatabase),
/// set as each event's <c>context.country</c>.
internal sealed record IngestScope(string OrgId, string Game, bool Live = false, string? Country = null);
