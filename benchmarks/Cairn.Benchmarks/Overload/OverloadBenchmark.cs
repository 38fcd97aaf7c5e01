using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Cairn.Benchmarks.Load;
using Cairn.Benchmarks.Progress;
using Microsoft.Data.Sqlite;

namespace Cairn.Benchmarks.Overload;

/// <summary>
/// Overload: many connections post large batches, each as soon as its last answer came (after the Retry-After delay
/// when that answer was 503), against a real server process. Measures the server's peak resident memory, how
/// many requests were acknowledged or refused, and the latency of each; then checks that every acknowledged event
/// is stored. The bound under test is the ingest budget (Ingest:MaxBytesInFlight, MaxEventsInFlight, QueueCapacity).
/// </summary>
internal static class OverloadBenchmark
{
    private const string Org = "bench";
    private const string Placeholder = "ZZZZZZZZZZ";

    public sealed record Run(long PeakRss, long MedianRss, int Ok, int Unavailable, int Other, long Acknowledged, long Stored, double[] OkMs, double[] UnavailableMs)
    {
        public double EventsPerSecond(int seconds) => Acknowledged / (double)seconds;
    }

    public static async Task<IReadOnlyList<Run>> RunAsync(OverloadSettings settings, TextWriter console)
    {
        var directory = Directory.CreateTempSubdirectory("cairn-overload-").FullName;
        try
        {
            var catalogs = Path.Combine(directory, "catalogs");
            Directory.CreateDirectory(catalogs);
            await File.WriteAllTextAsync(Path.Combine(catalogs, "mhs.yaml"), EventGenerator.CatalogYaml);
            var template = Template.Create(settings.Batch);
            console.WriteLine($"Overload: {settings.Clients} connections × batches of {settings.Batch:N0} events ({template.Body.Length / 1e6:F2} MB each), " +
                $"{settings.Seconds} s per run, {settings.Runs} runs; load average before: {Latencies.LoadAverage()}");

            var runs = new List<Run>();
            for (var r = 0; r < settings.Runs; r++)
            {
                var run = await RunOnceAsync(settings, Path.Combine(directory, $"run{r}"), catalogs, template);
                console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  run {r + 1}: peak RSS {run.PeakRss / 1048576.0:F0} MiB, {run.Ok} × 200, {run.Unavailable} × 503, {run.Other} other (another status or no answer), " +
                    $"p50/p99 of 200 {Percentile(run.OkMs, 0.5):F0}/{Percentile(run.OkMs, 0.99):F0} ms, {run.Acknowledged:N0} events acknowledged, {run.Stored:N0} stored"));
                if (run.Stored != run.Acknowledged)
                {
                    throw new InvalidOperationException($"The server stored {run.Stored} events; {run.Acknowledged} were acknowledged.");
                }
                runs.Add(run);
            }
            await ResultFile.WriteAsync(console, Markdown(settings, template, runs), settings.MarkdownPath);
            return runs;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<Run> RunOnceAsync(OverloadSettings settings, string dataDirectory, string catalogs, Template template)
    {
        var serverSettings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            // One key for every connection, as one game's clients share a key: the per-key rate limit is not what is measured.
            ["Ingest:RateLimitPerSecond"] = "0",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (name, value) in settings.Settings)
        {
            serverSettings[name] = value;
        }
        using var server = await ServerProcess.StartAsync(dataDirectory, catalogs, serverSettings);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = settings.Clients, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            BaseAddress = server.Address,
            Timeout = TimeSpan.FromMinutes(5),
        };
        var key = await CreateKeyAsync(http);

        var samples = new List<long>();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(settings.Seconds));
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                samples.Add(server.Memory().Rss);
                await Task.Delay(250, CancellationToken.None);
            }
        });
        var clients = await Task.WhenAll(Enumerable.Range(0, settings.Clients).Select(c => Task.Run(() => ClientAsync(http, key, template, c, stop.Token))));
        await sampler;
        var peak = server.Memory().Peak;
        await server.StopAsync();

        var acknowledged = clients.Sum(c => c.Acknowledged);
        return new Run(peak, (long)Percentile([.. samples.Select(s => (double)s)], 0.5),
            clients.Sum(c => c.OkMs.Count), clients.Sum(c => c.UnavailableMs.Count), clients.Sum(c => c.Other), acknowledged,
            CountStored(Path.Combine(dataDirectory, "cairn.db")),
            [.. clients.SelectMany(c => c.OkMs)], [.. clients.SelectMany(c => c.UnavailableMs)]);
    }

    private sealed record ClientResult(List<double> OkMs, List<double> UnavailableMs, int Other, long Acknowledged);

    /// <summary>One connection: batch after batch until <paramref name="stop"/>; each batch's event ids are new.</summary>
    private static async Task<ClientResult> ClientAsync(HttpClient http, string key, Template template, int client, CancellationToken stop)
    {
        var ok = new List<double>();
        var unavailable = new List<double>();
        var other = 0;
        long acknowledged = 0;
        var body = template.Body.ToArray();
        var auth = new AuthenticationHeaderValue("Bearer", key);
        var json = new MediaTypeHeaderValue("application/json");
        for (var sequence = 0; !stop.IsCancellationRequested; sequence++)
        {
            template.Stamp(body, client, sequence);
            var sent = Stopwatch.GetTimestamp();
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/events") { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = json;
            request.Headers.Authorization = auth;
            HttpResponseMessage response;
            byte[] answer;
            try
            {
                // Not cancelled at the deadline: a request under way is answered, so its events are counted or not.
                response = await http.SendAsync(request, CancellationToken.None);
                answer = await response.Content.ReadAsByteArrayAsync(CancellationToken.None);
            }
            catch (HttpRequestException)
            {
                // A connection the server closed before its answer arrived: counted, never an acknowledgement.
                other++;
                continue;
            }
            using (response)
            {
                var ms = Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    ok.Add(ms);
                    acknowledged += ReadCount(answer, "accepted") + ReadCount(answer, "duplicates");
                }
                else if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                {
                    unavailable.Add(ms);
                    var wait = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1);
                    try
                    {
                        await Task.Delay(wait, stop);
                    }
                    catch (OperationCanceledException)
                    {
                    }
                }
                else
                {
                    other++;
                }
            }
        }
        return new ClientResult(ok, unavailable, other, acknowledged);
    }

    private static async Task<string> CreateKeyAsync(HttpClient http)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/admin/keys") { Content = JsonContent.Create(new { org = Org, game = EventGenerator.Game }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", HttpIngestRun.AdminToken);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStreamAsync());
        return body.RootElement.GetProperty("key").GetString()!;
    }

    private static long CountStored(string database)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Pooling = false, Mode = SqliteOpenMode.ReadOnly }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM events WHERE org_id = $org;";
        command.Parameters.AddWithValue("$org", Org);
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static int ReadCount(byte[] answer, string name)
    {
        var reader = new Utf8JsonReader(answer);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var match = reader.ValueTextEquals(name);
            reader.Read();
            if (match)
            {
                return reader.GetInt32();
            }
            reader.Skip();
        }
        throw new InvalidOperationException($"The answer has no '{name}'.");
    }

    private static double Percentile(double[] values, double p)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
    }

    private static double Median(IEnumerable<double> values) => Percentile([.. values], 0.5);

    public static string Markdown(OverloadSettings settings, Template template, IReadOnlyList<Run> runs)
    {
        var inv = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        var set = settings.Settings.Count == 0 ? "default settings" : string.Join(", ", settings.Settings.Select(kv => $"{kv.Key}={kv.Value}"));
        text.AppendLine(inv, $"Overload, {settings.Clients} connections × batches of {settings.Batch:N0} events ({template.Body.Length / 1e6:F2} MB), " +
            $"{settings.Seconds} s per run, {runs.Count} runs, {set}; a fresh `cairn serve` process (SQLite) per run; " +
            $"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription.Trim()}, .NET {Environment.Version}; load average after: {Latencies.LoadAverage()}.");
        text.AppendLine();
        text.AppendLine("| run | peak RSS (MiB) | median RSS (MiB) | 200 | 503 | other | events/s acknowledged | p50 200 (ms) | p99 200 (ms) | p50 503 (ms) | p99 503 (ms) |");
        text.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (var i = 0; i < runs.Count; i++)
        {
            var r = runs[i];
            text.AppendLine(inv, $"| {i + 1} | {r.PeakRss / 1048576.0:F0} | {r.MedianRss / 1048576.0:F0} | {r.Ok:N0} | {r.Unavailable:N0} | {r.Other:N0} | {r.EventsPerSecond(settings.Seconds):N0} | " +
                $"{Percentile(r.OkMs, 0.5):F0} | {Percentile(r.OkMs, 0.99):F0} | {Percentile(r.UnavailableMs, 0.5):F1} | {Percentile(r.UnavailableMs, 0.99):F1} |");
        }
        text.AppendLine(inv, $"| **median** | **{Median(runs.Select(r => r.PeakRss / 1048576.0)):F0}** | {Median(runs.Select(r => r.MedianRss / 1048576.0)):F0} | " +
            $"{Median(runs.Select(r => (double)r.Ok)):N0} | {Median(runs.Select(r => (double)r.Unavailable)):N0} | {Median(runs.Select(r => (double)r.Other)):N0} | {Median(runs.Select(r => r.EventsPerSecond(settings.Seconds))):N0} | " +
            $"{Median(runs.Select(r => Percentile(r.OkMs, 0.5))):F0} | **{Median(runs.Select(r => Percentile(r.OkMs, 0.99))):F0}** | " +
            $"{Median(runs.Select(r => Percentile(r.UnavailableMs, 0.5))):F1} | {Median(runs.Select(r => Percentile(r.UnavailableMs, 0.99))):F1} |");
        text.AppendLine();
        text.AppendLine(inv, $"Every run: each acknowledged event was found in the store ({runs.Sum(r => r.Stored):N0} in all); \"other\" counts answers that were neither 200 nor 503, and requests whose connection the server closed before answering.");
        return text.ToString();
    }

    /// <summary>One request body whose event ids carry a placeholder, stamped per request so every batch is new.</summary>
    internal sealed class Template
    {
        private readonly int[] _offsets;

        private Template(byte[] body, int[] offsets)
        {
            Body = body;
            _offsets = offsets;
        }

        public byte[] Body { get; }

        public static Template Create(int batch)
        {
            var body = EventGenerator.Bodies(Placeholder, batch, batch, players: 2_000, seed: 42)[0];
            var marker = Encoding.ASCII.GetBytes(Placeholder);
            var offsets = new List<int>();
            for (var at = body.AsSpan().IndexOf(marker); at >= 0;)
            {
                offsets.Add(at);
                var next = body.AsSpan(at + marker.Length).IndexOf(marker);
                at = next < 0 ? -1 : at + marker.Length + next;
            }
            return new Template(body, [.. offsets]);
        }

        /// <summary>Writes this client's and request's 10 characters over the placeholder of every event id.</summary>
        public void Stamp(byte[] body, int client, int sequence)
        {
            var stamp = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{client:D3}{sequence:D7}"));
            foreach (var offset in _offsets)
            {
                stamp.CopyTo(body, offset);
            }
        }
    }
}
