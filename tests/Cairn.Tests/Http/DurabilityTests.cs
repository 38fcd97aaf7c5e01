using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Cairn.Tests.Support;

namespace Cairn.Tests.Http;

public sealed partial class DurabilityTests
{
    [Fact]
    public async Task Acknowledged_event_is_there_after_a_restart_on_the_same_data_directory()
    {
        await using var server = await TestServer.StartAsync();
        var e = Events.Canonical(Events.NewId(), "restart.player@example.com");
        using (var body = await server.IngestAsync(e.ToJsonString()))
        {
            Assert.Equal(1, body.RootElement.GetProperty("accepted").GetInt32());
        }

        await server.RestartAsync();

        var key = await server.PlayerKeyAsync("restart.player@example.com");
        using var timeline = await server.GetAsAdminAsync($"/v1/players/{key}/events");
        using var events = await TestServer.ReadJsonAsync(timeline);
        Assert.Equal([e["eventId"]!.GetValue<string>()], events.RootElement.GetProperty("events").EnumerateArray().Select(x => x.GetProperty("eventId").GetString()));
        using var again = await server.IngestAsync(e.ToJsonString());
        Assert.Equal("duplicate", again.RootElement.GetProperty("results")[0].GetProperty("status").GetString());
    }

    [Fact]
    public async Task Acknowledged_event_survives_a_kill_of_the_cairn_process()
    {
        using var root = new TempDirectory();
        var data = root.Combine("data");
        var e = Events.Canonical(Events.NewId(), "killed.player@example.com");

        string ingestKey;
        using (var first = await CairnProcess.StartAsync(data))
        {
            ingestKey = await first.CreateKeyAsync();
            using var response = await first.PostAsync(ingestKey, Events.Array(e));
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, text);
            Assert.Equal(1, JsonDocument.Parse(text).RootElement.GetProperty("accepted").GetInt32());
            first.Kill();
        }

        using var second = await CairnProcess.StartAsync(data);
        using var again = await second.PostAsync(ingestKey, Events.Array(e));
        var againText = await again.Content.ReadAsStringAsync();

        Assert.True(again.StatusCode == HttpStatusCode.OK, againText);
        Assert.Equal("duplicate", JsonDocument.Parse(againText).RootElement.GetProperty("results")[0].GetProperty("status").GetString());
        await second.StopAsync();
        Assert.Equal(1, Database.Scalar(Path.Combine(data, "cairn.db"), $"SELECT COUNT(*) FROM events WHERE event_id = '{e["eventId"]}';"));
    }

    /// <summary>The built <c>cairn</c> executable, run as <c>dotnet cairn.dll serve</c> on a free loopback port.</summary>
    private sealed partial class CairnProcess : IDisposable
    {
        private readonly Process _process;

        private CairnProcess(Process process, Uri address)
        {
            _process = process;
            Http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        }

        public HttpClient Http { get; }

        public static async Task<CairnProcess> StartAsync(string dataDirectory)
        {
            var dll = Path.Combine(AppContext.BaseDirectory, "cairn.dll");
            Assert.True(File.Exists(dll), $"{dll} is missing: the test project must reference src/Cairn");
            var info = new ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = Path.GetDirectoryName(dataDirectory)!,
            };
            foreach (var arg in new[] { dll, "serve", "--data", dataDirectory, "--port", "0" })
            {
                info.ArgumentList.Add(arg);
            }
            info.Environment["CAIRN_ADMIN_TOKEN"] = TestServer.AdminToken;
            info.Environment["CAIRN_PEPPER"] = TestServer.Pepper;
            var process = Process.Start(info)!;
            var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
            var output = new StringBuilder();
            process.OutputDataReceived += (_, line) =>
            {
                if (line.Data is null)
                {
                    listening.TrySetException(new InvalidOperationException("cairn exited before listening:\n" + output));
                    return;
                }
                lock (output)
                {
                    output.AppendLine(line.Data);
                }
                if (Listening().Match(line.Data) is { Success: true } match)
                {
                    listening.TrySetResult(new Uri(match.Groups[1].Value));
                }
            };
            process.ErrorDataReceived += (_, line) =>
            {
                lock (output)
                {
                    output.AppendLine(line.Data);
                }
            };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            try
            {
                return new CairnProcess(process, await listening.Task.WaitAsync(TimeSpan.FromSeconds(30)));
            }
            catch
            {
                process.Kill(entireProcessTree: true);
                process.Dispose();
                throw;
            }
        }

        [GeneratedRegex(@"listening on (http://\S+?)/? \(")]
        private static partial Regex Listening();

        public async Task<string> CreateKeyAsync()
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/v1/admin/keys")
            {
                Content = new StringContent($$"""{"org":"{{TestServer.Org}}","game":"{{TestServer.Game}}"}""", Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestServer.AdminToken);
            using var response = await Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            using var body = await TestServer.ReadJsonAsync(response);
            return body.RootElement.GetProperty("key").GetString()!;
        }

        public Task<HttpResponseMessage> PostAsync(string key, string json)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/v1/events") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            return Http.SendAsync(request);
        }

        /// <summary>SIGKILL: no shutdown hooks, no final checkpoint.</summary>
        public void Kill()
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        public async Task StopAsync()
        {
            // SIGTERM lets the host shut down cleanly and close the database.
            using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await _process.WaitForExitAsync(timeout.Token);
        }

        public void Dispose()
        {
            Http.Dispose();
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }
            _process.Dispose();
        }
    }
}
