using BenchmarkDotNet.Running;
using Cairn.Benchmarks.Load;
using Cairn.Benchmarks.Mastery;
using Cairn.Benchmarks.Overload;
using Cairn.Benchmarks.PlayerState;
using Cairn.Benchmarks.Progress;
using Cairn.Benchmarks.Sessions;
using Cairn.Cli;

// load  — the end-to-end ingest load benchmark (HTTP ingest against a raw bulk insert, in one run);
// progress — trigger → cell latency on the live stream under a steady ingest load;
// matrix — the class matrix read, and cell delivery to many live-stream clients;
// mastery — graded LMS submissions → mastery rows per second, and the mastery reads of a class;
// state — player-state reads (state, inventory, visited) with and without the in-process cache, under ingest;
// sessions — the sessions summary over players × events, SQLite and PostgreSQL;
// websocket — WebSocket ingest against HTTP ingest on one server, the same batches, alternating rounds;
// overload — many connections posting large batches against a server process: peak memory, 200/503, latency;
// micro — BenchmarkDotNet micro-benchmarks; everything after "micro" goes to BenchmarkDotNet.
var command = args.FirstOrDefault() ?? "help";
var usage = LoadSettings.Usage + "\n" + ProgressSettings.Usage + "\n" + MatrixSettings.Usage + "\n" + MasteryBenchSettings.Usage + "\n" + OverloadSettings.Usage + "\n" + StateReadSettings.Usage + "\n" + WebSocketBenchmark.Usage + "\n" + SessionsSummaryBenchmark.Usage;
try
{
    switch (command)
    {
        case "load":
            var load = LoadSettings.Parse(args.Skip(1));
            if (load.Postgres is not null)
            {
                await PostgresLoad.RunAsync(load, Console.Out);
                return 0;
            }
            await LoadBenchmark.RunAsync(load, Console.Out);
            return 0;
        case "progress":
            await ProgressBenchmark.RunAsync(ProgressSettings.Parse(args.Skip(1)), Console.Out);
            return 0;
        case "matrix":
            await MatrixBenchmark.RunAsync(MatrixSettings.Parse(args.Skip(1)), Console.Out);
            return 0;
        case "mastery":
            await MasteryBenchmark.RunAsync(MasteryBenchSettings.Parse(args.Skip(1)), Console.Out);
            return 0;
        case "state":
            await StateReadBenchmark.RunAsync(StateReadSettings.Parse(args.Skip(1)), Console.Out);
            return 0;
        case "sessions":
            await SessionsSummaryBenchmark.RunAsync(args.Skip(1), Console.Out);
            return 0;
        case "websocket":
            await WebSocketBenchmark.RunAsync(args.Skip(1), Console.Out);
            return 0;
        case "overload":
            await OverloadBenchmark.RunAsync(OverloadSettings.Parse(args.Skip(1)), Console.Out);
            return 0;
        case "analytics":
            await Cairn.Benchmarks.Analytics.AnalyticsBenchmark.RunAsync([.. args.Skip(1)], Console.Out);
            return 0;
        case "micro":
            BenchmarkSwitcher.FromAssembly(typeof(LoadBenchmark).Assembly).Run(args.Skip(1).ToArray());
            return 0;
        default:
            Console.WriteLine(usage);
            return command is "help" or "--help" or "-h" ? 0 : 2;
    }
}
catch (UsageException ex)
{
    Console.Error.WriteLine($"cairn-bench: {ex.Message}");
    Console.Error.WriteLine(usage);
    return 2;
}
