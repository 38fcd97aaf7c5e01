using BenchmarkDotNet.Running;
using Cairn.Benchmarks.Load;
using Cairn.Benchmarks.Progress;
using Cairn.Cli;

// load  — the end-to-end ingest load benchmark (HTTP ingest against a raw bulk insert, in one run);
// micro — BenchmarkDotNet micro-benchmarks; everything after "micro" goes to BenchmarkDotNet.
var command = args.FirstOrDefault() ?? "help";
try
{
    switch (command)
    {
        case "load":
            var load = LoadSettings.Parse(args.Skip(1));
            await LoadBenchmark.RunAsync(load, Console.Out);
            return 0;
        case "progress":
            await ProgressBenchmark.RunAsync(ProgressSettings.Parse(args.Skip(1)), Console.Out);
            return 0;
        case "micro":
            BenchmarkSwitcher.FromAssembly(typeof(LoadBenchmark).Assembly).Run(args.Skip(1).ToArray());
            return 0;
        default:
            Console.WriteLine(LoadSettings.Usage);
            return command is "help" or "--help" or "-h" ? 0 : 2;
    }
}
catch (UsageException ex)
{
    Console.Error.WriteLine($"cairn-bench: {ex.Message}");
    Console.Error.WriteLine(LoadSettings.Usage);
    return 2;
}
