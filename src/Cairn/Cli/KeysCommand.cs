using System.Globalization;
using Cairn.Access;
using Cairn.Catalogs;
using Cairn.Hosting;
using Cairn.Identity;
using Cairn.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cairn.Cli;

/// <summary>
/// <c>cairn keys create|list|revoke</c>. <c>create</c> prints the new key or token alone on stdout, for scripts:
/// an ingest key with <c>--game</c>, a read token with <c>--role</c>.
/// </summary>
internal static class KeysCommand
{
    public static async Task<int> RunAsync(Args args, CancellationToken cancellationToken)
    {
        var verb = args.Positional.Count >= 2 ? args.Positional[1] : null;
        var data = args.Option("data");
        var storeOption = args.Option("store");
        switch (verb)
        {
            case "create":
                return await CreateAsync(args, data, storeOption, cancellationToken);
            case "list":
            {
                var org = args.Option("org");
                args.RejectUnknown();
                var storage = Offline.Storage(data, storeOption);
                await using var store = await CairnConfiguration.OpenStoreAsync(storage, cancellationToken);
                var keys = await store.Access.ListApiKeysAsync(org, cancellationToken);
                if (keys.Count == 0)
                {
                    Console.Error.WriteLine($"No keys{(org is null ? "" : $" for org '{org}'")} in {StoreName(storage)}.");
                }
                foreach (var key in keys)
                {
                    var scope = key.IsIngestKey ? $"ingest {key.OrgId}/{key.Game}"
                        : $"{key.Role} {key.OrgId}" + (key.Teachers is { Count: > 0 } t ? $" teachers={string.Join(',', t)}" : "")
                          + (key.PlayerKey is { } pk ? $" player={pk}" : "");
                    var state = key.RevokedAt is { } at ? $"revoked {at:yyyy-MM-dd}" : "live";
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{key.Id}  {key.CreatedAt:yyyy-MM-dd}  {state,-18}  {scope}"));
                }
                return 0;
            }
            case "revoke":
            {
                args.RejectUnknown();
                var id = args.Positional.Count == 3 ? args.Positional[2] : throw new UsageException("expected 'cairn keys revoke KEY_ID'");
                await using var store = await CairnConfiguration.OpenStoreAsync(Offline.Storage(data, storeOption), cancellationToken);
                if (!await store.Access.RevokeApiKeyAsync(id, DateTimeOffset.UtcNow, cancellationToken))
                {
                    Console.Error.WriteLine($"cairn: no live key '{id}'");
                    return 1;
                }
                Console.Error.WriteLine($"Revoked {id}. Running servers stop accepting it within {ApiKeys.CacheFor.TotalSeconds:0} seconds.");
                return 0;
            }
            default:
                throw new UsageException("expected 'cairn keys create', 'cairn keys list' or 'cairn keys revoke KEY_ID'");
        }
    }

    private static async Task<int> CreateAsync(Args args, string? data, string? storeOption, CancellationToken cancellationToken)
    {
        var org = args.RequiredOption("org");
        var role = args.Option("role");
        var game = args.Option("game");
        var teachers = args.Option("teacher")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var player = args.Option("player");
        var catalogs = args.Option("catalogs") ?? "catalogs";
        args.RejectUnknown();
        if (!AdminApi.Identifier().IsMatch(org))
        {
            throw new UsageException("--org takes letters, digits, '_', '.', '-' (up to 64 characters)");
        }
        var storage = Offline.Storage(data, storeOption);
        await using var store = await CairnConfiguration.OpenStoreAsync(storage, cancellationToken);
        var keys = new ApiKeys(store.Access, new AdminToken(SecretHash.NewSecret("unused_")));
        if (role is null)
        {
            if (game is null || !AdminApi.Identifier().IsMatch(game))
            {
                throw new UsageException("an ingest key needs --game GAME (or give --role for a read token)");
            }
            var (record, secret) = await keys.CreateIngestKeyAsync(org, game, cancellationToken);
            Console.Error.WriteLine($"Created ingest key {record.Id} for org '{org}', game '{game}' in {StoreName(storage)}. It is shown once; store it now.");
            Console.Error.WriteLine(ServerHint(storage, storeOption));
            WarnIfNoCatalog(game, catalogs);
            Console.WriteLine(secret);
            return 0;
        }
        if (role == Roles.Lrs)
        {
            if (game is null || !AdminApi.Identifier().IsMatch(game))
            {
                throw new UsageException("an LRS credential needs --game GAME (its statements are that game's events)");
            }
            var (lrs, lrsSecret) = await keys.CreateLrsKeyAsync(org, game, cancellationToken);
            Console.Error.WriteLine($"Created LRS credential {lrs.Id} for org '{org}', game '{game}' in {StoreName(storage)}. It is shown once; store it now.");
            Console.Error.WriteLine("xAPI clients send it with HTTP Basic (user:password below) to /xapi/.");
            Console.Error.WriteLine(ServerHint(storage, storeOption));
            WarnIfNoCatalog(game, catalogs);
            Console.WriteLine($"{lrs.Id}:{lrsSecret}");
            return 0;
        }
        if (KeyRequests.Check(role, teachers, player) is { } problem)
        {
            throw new UsageException(problem);
        }
        string? playerKey = null;
        if (player is not null)
        {
            var identity = Offline.Identity(data);
            var (pepper, _) = PepperSource.Resolve(identity, Offline.Storage(data, storeOption).DataDirectory, production: false);
            playerKey = new PlayerKeys(pepper, identity.PepperVersion).Compute(org, player);
        }
        var (token, tokenSecret) = await keys.CreateReadTokenAsync(role, org, teachers, playerKey, cancellationToken);
        Console.Error.WriteLine($"Created {role} token {token.Id} for org '{org}' in {StoreName(storage)}. It is shown once; store it now.");
        Console.Error.WriteLine(ServerHint(storage, storeOption));
        Console.WriteLine(tokenSecret);
        return 0;
    }

    /// <summary>Which store a key went to: a key is known only to servers that use the same one.</summary>
    internal static string StoreName(StorageOptions storage) =>
        CairnConfiguration.IsSqlite(storage) ? $"the store {CairnConfiguration.Describe(storage)}" : $"the PostgreSQL store {CairnConfiguration.Describe(storage)}";

    private static string ServerHint(StorageOptions storage, string? storeOption) =>
        storeOption is not null || Environment.GetEnvironmentVariable("CAIRN_STORE") is { Length: > 0 }
            ? "It works on servers that use this store (the same --store or CAIRN_STORE)."
            : $"It works on a server started with this data directory: cairn serve --data {Path.GetFullPath(storage.DataDirectory)}";

    /// <summary>A game no catalog defines is accepted (its events are stored), but it is most often a typo.</summary>
    private static void WarnIfNoCatalog(string game, string catalogsDirectory)
    {
        var registry = new CatalogRegistry(catalogsDirectory, NullLogger<CatalogRegistry>.Instance);
        registry.Reload();
        if (registry.Current.For(game) is not null)
        {
            return;
        }
        var known = registry.Current.Games.Keys.Order(StringComparer.Ordinal).ToList();
        Console.Error.WriteLine($"warning: no catalog in {Path.GetFullPath(catalogsDirectory)} defines game '{game}' " +
            $"({(known.Count == 0 ? "it has no catalogs" : "it defines " + string.Join(", ", known))}): its events are stored but count toward no progress. " +
            "Check the spelling, or give --catalogs DIR.");
    }
}
