using Cairn.Client;

// A tiny console "game" that plays a short session against a Cairn server:
//   dotnet run --project samples/Cairn.SampleGame -- --endpoint http://localhost:5080/ --key cik_… [--game mhs]
//       [--queue ./cairn-queue] [--levels 5] [--hang]
// --hang tracks the session, waits until it is queued on disk, prints "queued N" and waits forever without flushing
// (the tests kill it there, as a crash would, and a later run sends what it left).
var options = Parse(args);
if (options is null)
{
    Console.Error.WriteLine("usage: Cairn.SampleGame --endpoint URL --key INGEST_KEY [--game G] [--queue DIR] [--levels N] [--player ID] [--hang]");
    return 2;
}
var (endpoint, key, game, queue, levels, player, hang) = options.Value;
using var cairn = new CairnClient(new CairnClientOptions
{
    Endpoint = endpoint,
    IngestKey = key,
    Game = game,
    QueueDirectory = queue,
    Platform = "console",
    FlushInterval = hang ? TimeSpan.FromHours(1) : TimeSpan.FromSeconds(30),
    BatchSize = hang ? 1_000_000 : 100,
    OnDiagnostic = d => Console.Error.WriteLine("cairn: " + d),
});
cairn.Identify(player);
cairn.StartSession();
var random = new Random(7);
for (var level = 1; level <= levels; level++)
{
    cairn.Track("game_stage_start", new EventData().Set("level", level));
    cairn.Track("client_tick", new EventData().Set("fps", 55 + random.Next(10)), priority: EventPriority.Low);
    cairn.Track("game_stage_complete", new EventData().Set("level", level).Set("score", random.Next(100)).Set("perfect", level % 2 == 0),
        priority: EventPriority.High);
}
cairn.EndSession();
if (hang)
{
    // The events are on disk once the background thread has taken them all; then wait to be killed.
    while (cairn.QueuedCount != levels * 3 + 2 || !cairn.IsDurable)
    {
        Thread.Sleep(10);
    }
    Thread.Sleep(100);
    Console.WriteLine($"queued {cairn.QueuedCount}");
    Thread.Sleep(Timeout.Infinite);
}
var sent = await cairn.FlushAsync();
Console.WriteLine(sent ? $"session sent ({levels * 3 + 2} events)" : $"the server is not reachable: {cairn.QueuedCount} events stay queued");
return 0;

static (Uri, string, string?, string?, int, string, bool)? Parse(string[] args)
{
    Uri? endpoint = null;
    string? key = null, game = null, queue = null, player = "sample-player";
    var levels = 5;
    var hang = false;
    for (var i = 0; i < args.Length; i++)
    {
        string Next() => i + 1 < args.Length ? args[++i] : "";
        switch (args[i])
        {
            case "--endpoint": endpoint = Uri.TryCreate(Next(), UriKind.Absolute, out var uri) ? uri : null; break;
            case "--key": key = Next(); break;
            case "--game": game = Next(); break;
            case "--queue": queue = Next(); break;
            case "--levels": levels = int.TryParse(Next(), out var n) ? n : 5; break;
            case "--player": player = Next(); break;
            case "--hang": hang = true; break;
            default: return null;
        }
    }
    return endpoint is null || key is null ? null : (endpoint, key, game, queue, levels, player, hang);
}
