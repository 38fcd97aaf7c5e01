using System.Text;
using Cairn.Catalogs;
using Cairn.Identity;
using Cairn.Import;
using Cairn.Ingest;
using Cairn.Storage;
using Cairn.Storage.Sqlite;
using Cairn.Tests.Support;
using Microsoft.Extensions.Options;

namespace Cairn.Tests.Import;

/// <summary>A real SQLite store in a temp directory and the real ingest pipeline, for running imports.</summary>
internal sealed class ImporterFixture : IAsyncDisposable
{
    public const string Org = "org-import";

    private Stores? _store;

    public TempDirectory Root { get; } = new();

    public string DatabasePath => Root.Combine("data", "cairn.db");

    public PlayerKeys PlayerKeys { get; } = new(Encoding.UTF8.GetBytes(TestServer.Pepper), 1);

    public async Task<ImportSummary> ImportAsync(string file, ImportMapping mapping, int batchSize = 1000)
    {
        if (_store is null)
        {
            _store = Cairn.Hosting.CairnConfiguration.CreateStore(new StorageOptions { DataDirectory = Root.Combine("data") });
            await _store.Schema.MigrateAsync(CancellationToken.None);
        }
        var pipeline = new IngestPipeline(new EventNormalizer(EventSchemas.Empty, new IngestOptions().DropFields), PlayerKeys, new IngestOptions().MaxEventBytes);
        return await new Importer(pipeline, _store.Events).RunAsync(new ImportRequest(file, Org, mapping, null, batchSize), null, CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
        Root.Dispose();
    }
}
