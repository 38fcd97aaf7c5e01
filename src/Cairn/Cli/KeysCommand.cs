using System.Globalization;
using Cairn.Access;
using Cairn.Hosting;
using Cairn.Identity;

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
                await using var store = await CairnConfiguration.OpenStoreAsync(Offline.Storage(data, storeOption), cancellationToken);
                foreach (var key in await store.Access.ListApiKeysAsync(org, cancellationToken))
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
        args.RejectUnknown();
        if (!AdminApi.Identifier().IsMatch(org))
        {
            throw new UsageException("--org takes letters, digits, '_', '.', '-' (up to 64 characters)");
        }
        await using var store = await CairnConfiguration.OpenStoreAsync(Offline.Storage(data, storeOption), cancellationToken);
        var keys = new ApiKeys(store.Access, new AdminToken(SecretHash.NewSecret("unused_")));
        if (role is null)
        {
            if (game is null || !AdminApi.Identifier().IsMatch(game))
            {
                throw new UsageException("an ingest key needs --game GAME (or give --role for a read token)");
            }
            var (record, secret) = await keys.CreateIngestKeyAsync(org, game, cancellationToken);
            Console.Error.WriteLine($"Created ingest key {record.Id} for org '{org}', game '{game}'. It is shown once; store it now.");
            Console.WriteLine(secret);
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
        Console.Error.WriteLine($"Created {role} token {token.Id} for org '{org}'. It is shown once; store it now.");
        Console.WriteLine(tokenSecret);
        return 0;
    }
}
