using System.Text.Json.Nodes;
using Cairn.Catalogs;

namespace Cairn.Projections;

/// <summary>An event as ingest sees it, before it is stored: what a projection decides its jobs from, in memory.</summary>
/// <param name="Catalog">What the game's catalog made of the event (its trigger fingerprint and points), if anything.</param>
internal sealed record ProjectionEvent(string OrgId, string Game, string EventType, JsonObject? Data, TriggerMatch? Catalog);
