using Cairn.Access;
using Cairn.Hosting;
using Cairn.Storage;

namespace Cairn.Cli;

/// <summary><c>cairn keys create --org O --game G</c>: prints the new ingest key alone on stdout, for scripts.</summary>
internal static class KeysCommand
{
    public static async Task<int> RunAsync(Args args, CancellationToken cancellationToken)
    {
        if (args.Positional.Count < 2 || args.Positional[1] != "create")
        {
            throw new UsageException("expected 'cairn keys create --org ORG --game GAME'");
        }
        var org = args.RequiredOption("org");
        var game = args.RequiredOption("game");
        var data = args.Option("data");
        var storeOption = args.Option("store");
        args.RejectUnknown();
        if (!AdminApi.Identifier().IsMatch(org) || !AdminApi.Identifier().IsMatch(game))
        {
            throw new UsageException("--org and --game take letters, digits, '_', '.', '-' (up to 64 characters)");
        }
        var storage = Offline.Storage(data, storeOption);
        await using var store = await CairnConfiguration.OpenStoreAsync(storage, cancellationToken);
        var keys = new ApiKeys(store, new AdminToken(SecretHash.NewSecret("unused_")));
        var (record, secret) = await keys.CreateIngestKeyAsync(org, game, cancellationToken);
        Console.Error.WriteLine($"Created ingest key {record.Id} for org '{org}', game '{game}'. It is shown once; store it now.");
        Console.WriteLine(secret);
        return 0;
    }
}
