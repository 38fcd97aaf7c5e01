using System.Text;
using System.Text.Json.Nodes;
using Cairn.Catalogs;
using Cairn.Hosting;
using Cairn.Identity;
using Cairn.Ingest;
using Cairn.Jobs;
using Cairn.PlayerState;
using Cairn.PlayerState.Storage;
using Cairn.Projections;
using Cairn.Storage;
using Cairn.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Cairn.Tests.PlayerState;

/// <summary>
/// The player-state tables under the privacy operations, on both stores: ingest with the shipped Wylding Woods catalog, the
/// generic job runner, then export, rekeying and erasure (which reach the tables through their PlayerKeyTable declarations).
/// </summary>
public abstract class PlayerStatePrivacyTests : IAsyncLifetime
{
    private const string Org = "org-state";
    private const string Game = "wylding-woods";
    private static readonly CancellationToken None = CancellationToken.None;

    private readonly PlayerKeys _keys = new(Encoding.UTF8.GetBytes(TestServer.Pepper), 1);
    private readonly TempDirectory _catalogs = new();
    private Stores _stores = null!;
    private ProjectionSet _projections = null!;
    private IPlayerStateStore _state = null!;

    private protected abstract Task<StorageOptions> StorageAsync();

    private protected abstract Task CleanUpAsync();

    public async Task InitializeAsync()
    {
        File.Copy(Path.Combine(SharedData.RepositoryRoot(), "catalogs", "wylding-woods.yaml"), _catalogs.Combine("wylding-woods.yaml"));
        var catalogs = new CatalogRegistry(_catalogs.Path, NullLogger<CatalogRegistry>.Instance);
        catalogs.Reload();
        _stores = Stores.Open(await StorageAsync(), Features.Projections);
        await _stores.Schema.MigrateAsync(None);
        _projections = ProjectionSet.From(Features.Projections, new ProjectionContext(_stores, catalogs, TimeProvider.System));
        _state = _stores.Projection<IPlayerStateStore>(PlayerStateProjection.Name);
    }

    public async Task DisposeAsync()
    {
        await _stores.DisposeAsync();
        await CleanUpAsync();
        _catalogs.Dispose();
    }

    private string KeyOf(string player) => _keys.Compute(Org, player);

    private static JsonObject Visit(string player, string waypoint, int minute) => new()
    {
        ["eventId"] = Events.NewId(),
        ["eventType"] = "waypoint_visited",
        ["timestamp"] = Events.BaseTime.AddMinutes(minute).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
        ["game"] = Game,
        ["playerId"] = player,
        ["data"] = new JsonObject { ["contentId"] = waypoint },
    };

    private async Task IngestAsync(params JsonObject[] events)
    {
        var pipeline = new IngestPipeline(new EventNormalizer(EventSchemas.Empty, new IngestOptions().DropFields), _keys, new IngestOptions().MaxEventBytes,
            projections: _projections);
        var prepared = pipeline.Prepare(new IngestScope(Org, Game),
            events.Select(e => new IncomingEvent(e, Encoding.UTF8.GetByteCount(e.ToJsonString()), null)).ToList());
        Assert.All(prepared.Results, r => Assert.Null(r));
        await _stores.Events.WriteAsync([prepared.Batch], None);
    }

    private async Task DrainAsync()
    {
        var runner = new JobRunner(_stores.Jobs, _projections, Options.Create(new JobOptions()), TimeProvider.System, NullLogger<JobRunner>.Instance);
        for (var i = 0; i < 10 && await runner.RunOnceAsync("w", None) > 0; i++)
        {
        }
    }

    [SkippableFact]
    public async Task Issue_13_export_rekeying_and_erasure_reach_the_state_and_achievement_tables()
    {
        await IngestAsync(Visit("ada", "1_inter_woander_storefront", 1), Visit("ada", "8_inter_gravity_car", 2), Visit("ben", "8_inter_gravity_car", 1));
        await DrainAsync();

        // Export: the player's state document and achievement rows.
        var exported = new List<PlayerDataRow>();
        await foreach (var row in _stores.Privacy.ExportPlayerDataAsync(Org, [KeyOf("ada")], None))
        {
            exported.Add(row);
        }
        Assert.Contains("8_inter_gravity_car", Assert.Single(exported, r => r.Table == "player_state").Row.GetProperty("state").GetString(), StringComparison.Ordinal);
        Assert.Equal("first_waypoint", Assert.Single(exported, r => r.Table == "player_achievements").Row.GetProperty("achievement_id").GetString());

        // Rekeying: the rows move to the new key and a recompute of the game is queued there, which gives the same state.
        var newKey = "p2_" + Guid.NewGuid().ToString("N");
        var before = Assert.Single(await _state.GetStatesAsync(KeyOf("ada"), Game, None));
        await _stores.Privacy.RekeyPlayerAsync(KeyOf("ada"), newKey, None);
        Assert.Empty(await _state.GetStatesAsync(KeyOf("ada"), null, None));
        Assert.Empty(await _state.GetAchievementsAsync(KeyOf("ada"), null, None));
        Assert.Equal(1, (await _stores.Jobs.CountJobsByProjectionAsync(None))[PlayerStateProjection.Name].Pending);
        await DrainAsync();
        var moved = Assert.Single(await _state.GetStatesAsync(newKey, Game, None));
        Assert.Equal(PlayerStateJson.Write(before.State), PlayerStateJson.Write(moved.State));
        Assert.Equal(["first_waypoint"], (await _state.GetAchievementsAsync(newKey, null, None)).Select(a => a.AchievementId));

        // Erasure: the rows go, counted per table; another player's stay.
        var erased = await _stores.Privacy.ErasePlayerAsync(Org, KeyOf("ben"), None);
        Assert.Equal((1, 1), (erased["player_state"], erased["player_achievements"]));
        Assert.Empty(await _state.GetStatesAsync(KeyOf("ben"), null, None));
        Assert.Single(await _state.GetStatesAsync(newKey, null, None));
    }
}

public sealed class SqlitePlayerStatePrivacyTests : PlayerStatePrivacyTests
{
    private readonly TempDirectory _root = new();

    private protected override Task<StorageOptions> StorageAsync() => Task.FromResult(new StorageOptions { DataDirectory = _root.Path });

    private protected override Task CleanUpAsync()
    {
        _root.Dispose();
        return Task.CompletedTask;
    }
}

public sealed class PostgresPlayerStatePrivacyTests(PostgresServer server) : PlayerStatePrivacyTests, IClassFixture<PostgresServer>
{
    private Cairn.Tests.Support.PostgresDatabase? _database;

    private protected override async Task<StorageOptions> StorageAsync()
    {
        _database = await server.CreateDatabaseAsync();
        return new StorageOptions { Store = _database.ConnectionString };
    }

    private protected override async Task CleanUpAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
