using Cairn.Projections;
using System.Diagnostics;
using System.Globalization;
using Cairn.Access;
using Cairn.Catalogs;
using Cairn.Cli;
using Cairn.Hosting;
using Cairn.Identity;
using Cairn.Ingest;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cairn.Import;

/// <summary><c>cairn import FILE --org ORG [--mapping MAP.yaml]</c>: loads an export through the ingest pipeline.</summary>
internal static class ImportCommand
{
    public static async Task<int> RunAsync(Args args, CancellationToken cancellationToken)
    {
        if (args.Positional.Count != 1)
        {
            throw new UsageException("expected one FILE to import");
        }
        var file = args.Positional[0];
        var org = args.RequiredOption("org");
        var mappingPath = args.Option("mapping");
        var gameOption = args.Option("game");
        var sourceOption = args.Option("source");
        var format = args.Option("format");
        var batchSize = args.IntOption("batch", 1_000, 1, 50_000);
        var data = args.Option("data");
        var storeOption = args.Option("store");
        var catalogs = args.Option("catalogs") ?? "catalogs";
        var quiet = args.Flag("quiet");
        var runJobs = !args.Flag("no-jobs");
        args.RejectUnknown();
        if (!AdminApi.Identifier().IsMatch(org))
        {
            throw new UsageException("--org takes letters, digits, '_', '.', '-' (up to 64 characters)");
        }

        var mapping = mappingPath is null ? new ImportMapping() : ImportMapping.Load(mappingPath);
        mapping.Game = gameOption ?? mapping.Game;
        mapping.Source = sourceOption ?? mapping.Source;

        var storage = Offline.Storage(data, storeOption);
        var identity = Offline.Identity(data);
        var configuration = Offline.Configuration(data);
        var ingest = configuration.GetSection(IngestOptions.SectionName).Get<IngestOptions>() ?? new IngestOptions();
        var schemaOptions = configuration.GetSection(Schemas.SchemaOptions.SectionName).Get<Schemas.SchemaOptions>() ?? new Schemas.SchemaOptions();
        var (pepper, _) = PepperSource.Resolve(identity, storage.DataDirectory, production: false);
        var registry = new CatalogRegistry(catalogs, NullLogger<CatalogRegistry>.Instance);
        foreach (var error in registry.Reload().Errors)
        {
            Console.Error.WriteLine($"cairn: catalog ignored: {error}");
        }
        // The same JSON Schemas as the server (and the default registry), so an imported row is checked and coerced as ingest would.
        var schemas = new Schemas.EventSchemaRegistry(
            string.IsNullOrWhiteSpace(schemaOptions.Directory) ? Schemas.SchemaOptions.DefaultFor(catalogs) : schemaOptions.Directory,
            NullLogger<Schemas.EventSchemaRegistry>.Instance, schemaOptions.Taxonomy);
        foreach (var error in schemas.Reload().Errors)
        {
            Console.Error.WriteLine($"cairn: schema ignored: {error}");
        }
        await using var store = await CairnConfiguration.OpenStoreAsync(storage, cancellationToken);
        var projections = ProjectionSet.From(Features.Projections, new ProjectionContext(store, registry, TimeProvider.System));
        var playerKeys = new PlayerKeys(pepper, identity.PepperVersion);
        var pipeline = new IngestPipeline(
            new EventNormalizer(new Schemas.CoercionTypes(registry, schemas).Current, ingest.DropFields),
            playerKeys,
            ingest.MaxEventBytes,
            registry,
            await OptOuts.LoadAsync(store.Directory, playerKeys, cancellationToken),
            projections,
            schemas,
            await Consent.ConsentCategories.LoadAsync(store.Projection<Consent.Storage.IConsentCategoryStore>(Consent.ConsentCategoryProjection.Name), playerKeys, cancellationToken));

        var report = new ProgressReport(Console.Error, interactive: !quiet && !Console.IsErrorRedirected, quiet);
        var started = Stopwatch.StartNew();
        var summary = await new Importer(pipeline, store.Events).RunAsync(
            new ImportRequest(file, org, mapping, format, batchSize), report.Update, cancellationToken);
        report.Finish();

        var rate = summary.Rows / Math.Max(started.Elapsed.TotalSeconds, 0.001);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Imported {file}: {summary.Rows} rows in {started.Elapsed.TotalSeconds:F1} s ({rate:F0} rows/s)"));
        Console.WriteLine($"  accepted   {summary.Accepted}");
        Console.WriteLine($"  duplicate  {summary.Duplicates}");
        Console.WriteLine($"  rejected   {summary.Rejected}");
        if (summary.Dropped > 0)
        {
            Console.WriteLine($"  dropped    {summary.Dropped} (players who opted out, or declined the event's category)");
        }
        foreach (var (reason, count) in summary.RejectedByReason)
        {
            Console.WriteLine($"    {count,8}  {reason}");
        }
        if (summary.Rejected > 0)
        {
            Console.WriteLine("  Rejected rows are kept in quarantine: GET /v1/admin/rejected shows them with their reasons.");
        }
        if (runJobs)
        {
            var ran = await DrainJobsAsync(store.Jobs, projections, cancellationToken);
            Console.WriteLine($"  jobs       {ran} recompute job(s) run (every projection: progress, mastery, …)");
        }
        return 0;
    }

    /// <summary>Runs the jobs the import queued, so progress is ready when it returns (a server's workers would also take them).</summary>
    private static async Task<long> DrainJobsAsync(Storage.IJobQueue jobs, ProjectionSet projections, CancellationToken cancellationToken)
    {
        var time = TimeProvider.System;
        var runner = new Jobs.JobRunner(jobs, projections,
            Microsoft.Extensions.Options.Options.Create(new Jobs.JobOptions { BatchSize = 256 }), time, NullLogger<Jobs.JobRunner>.Instance);
        long total = 0;
        var worker = $"import:{Environment.ProcessId}";
        while (await runner.RunOnceAsync(worker, cancellationToken) is var claimed && claimed > 0)
        {
            total += claimed;
        }
        return total;
    }

    /// <summary>A progress bar on a terminal; a plain line every few seconds when output goes to a file or pipe.</summary>
    private sealed class ProgressReport(TextWriter output, bool interactive, bool quiet)
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private TimeSpan? _last;
        private bool _drawn;

        public void Update(ImportProgress p)
        {
            if (quiet)
            {
                return;
            }
            var every = interactive ? TimeSpan.FromMilliseconds(200) : TimeSpan.FromSeconds(5);
            if (_last is { } last && _clock.Elapsed - last < every)
            {
                return;
            }
            _last = _clock.Elapsed;
            var fraction = p.TotalBytes > 0 ? Math.Clamp((double)p.BytesRead / p.TotalBytes, 0, 1) : 0;
            var rate = p.Rows / Math.Max(_clock.Elapsed.TotalSeconds, 0.001);
            if (interactive)
            {
                const int width = 30;
                var filled = (int)(fraction * width);
                output.Write(string.Create(CultureInfo.InvariantCulture,
                    $"\r[{new string('#', filled)}{new string('.', width - filled)}] {fraction,4:P0}  {p.Rows} rows  {rate:F0}/s  rejected {p.Rejected}   "));
                _drawn = true;
            }
            else
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"import: {fraction:P0} {p.Rows} rows ({p.Accepted} accepted, {p.Duplicates} duplicate, {p.Rejected} rejected) {rate:F0}/s"));
            }
        }

        public void Finish()
        {
            if (_drawn)
            {
                output.WriteLine();
            }
        }
    }
}
