using Cairn.Storage;

namespace Cairn.Tests.Storage;

/// <summary>
/// The schema contract (<see cref="IStoreSchema"/>): a new store is not ready until migrated; migrating again keeps the data.
/// Every store runs all of it: a subclass only says which store (<see cref="StoreMaker"/>).
/// </summary>
public abstract class SchemaCompliance : StoreFacts
{
    private protected SchemaCompliance(StoreMaker maker)
        : base(maker)
    {
    }

    [SkippableFact]
    public async Task A_new_store_is_not_ready_until_it_is_migrated()
    {
        var store = await NewStoreAsync();

        var before = await store.Schema.IsReadyAsync(None);
        await store.Schema.MigrateAsync(None);
        var after = await store.Schema.IsReadyAsync(None);

        Assert.False(before);
        Assert.True(after);
    }

    [SkippableFact]
    public async Task Migrating_again_is_a_no_op_that_keeps_the_data()
    {
        await WriteEventsAsync(Event("e-1"));

        await Store.Schema.MigrateAsync(None);
        await Store.Schema.MigrateAsync(None);

        Assert.True(await Store.Schema.IsReadyAsync(None));
        Assert.Equal(1, await Store.Events.CountEventsAsync(null, None));
        Assert.Equal("e-1", Assert.Single(await TimelineAsync(Ada)).EventId);
    }
}
