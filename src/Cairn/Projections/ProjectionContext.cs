using Cairn.Catalogs;
using Cairn.Storage;

namespace Cairn.Projections;

/// <summary>What a projection is made with: the opened stores (it reads history from the event log), the catalogs, the clock.</summary>
internal sealed record ProjectionContext(Stores Stores, CatalogRegistry Catalogs, TimeProvider Time);
