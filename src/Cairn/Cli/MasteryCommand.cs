using System.Globalization;
using Cairn.Catalogs;
using Cairn.Hosting;
using Cairn.Mastery;
using Cairn.Mastery.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cairn.Cli;

/// <summary><c>cairn mastery fit</c>: estimates BKT parameters per standard from stored history and stores them as a new version.</summary>
internal static class MasteryCommand
{
    public static async Task<int> RunAsync(Args args, CancellationToken cancellationToken)
    {
        var verb = args.Positional.Count >= 2 ? args.Positional[1] : null;
        var org = args.Option("org");
        var game = args.Option("game");
        var standard = args.Option("standard");
        var minPlayers = args.IntOption("min-players", MasteryFitter.DefaultMinPlayers, 1, 1_000_000);
        var catalogs = args.Option("catalogs") ?? "catalogs";
        var data = args.Option("data");
        var storeOption = args.Option("store");
        args.RejectUnknown();
        if (verb != "fit")
        {
            throw new UsageException("expected 'cairn mastery fit [--org O] [--game G] [--standard S]'");
        }
        var registry = new CatalogRegistry(catalogs, NullLogger<CatalogRegistry>.Instance);
        registry.Reload();
        await using var store = await CairnConfiguration.OpenStoreAsync(Offline.Storage(data, storeOption), cancellationToken);
        var fitter = new MasteryFitter(store.Events, store.Jobs, store.Projection<IMasteryStore>(MasteryProjection.Name),
            g => registry.Current.For(g)?.Mastery ?? MasterySettings.Default, TimeProvider.System);
        var reports = await fitter.FitAsync(org, game, standard, minPlayers, cancellationToken);
        if (reports.Count == 0)
        {
            Console.WriteLine("no observations to fit (mastery rows are computed by a running server or 'cairn worker')");
            return 0;
        }
        foreach (var r in reports)
        {
            if (r.Fit is not { } fit)
            {
                Console.WriteLine($"{r.OrgId} {r.Game} {r.StandardId}: skipped, {r.Skipped}");
                continue;
            }
            var p = fit.Parameters;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.OrgId} {r.Game} {r.StandardId}: version {fit.Version}  prior {p.Prior:0.000}  learn {p.Learn:0.000}  guess {p.Guess:0.000}  slip {p.Slip:0.000}  forget {p.Forget:0.000}  log-likelihood {fit.LogLikelihood:0.00}  AUC {(fit.Auc is { } auc ? auc.ToString("0.000", CultureInfo.InvariantCulture) : "n/a")} (held out: {r.TestPlayers} players)  trained on {r.TrainPlayers} players, {fit.Observations} observations  {r.Requeued} row(s) queued"));
        }
        if (reports.Any(r => r.Requeued > 0))
        {
            Console.WriteLine("a running server or 'cairn worker' recomputes the queued rows");
        }
        return 0;
    }
}
