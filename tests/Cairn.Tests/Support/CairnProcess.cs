using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;

namespace Cairn.Tests.Support;

/// <summary>The built <c>cairn</c> executable, run as <c>dotnet cairn.dll serve</c> on a free loopback port.</summary>
internal sealed partial class CairnProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output;

    private CairnProcess(Process process, Uri address, StringBuilder output)
    {
        _process = process;
        _output = output;
        Http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
    }

    public HttpClient Http { get; }

    public int ProcessId => _process.Id;

    /// <summary>The server's resident memory now, from /proc (Linux).</summary>
    public long ResidentBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
            }
        }
        throw new InvalidOperationException("no VmRSS in /proc status");
    }

    /// <summary>What the process printed so far (stdout and stderr).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <param name="extraArgs">More arguments for <c>serve</c> (e.g. <c>--demo</c>).</param>
    /// <param name="environment">More environment variables (e.g. <c>CAIRN_Demo__Speed</c>).</param>
    public static Task<CairnProcess> StartAsync(
        string dataDirectory, IReadOnlyList<string>? extraArgs = null, IReadOnlyDictionary<string, string>? environment = null) =>
        StartCommandAsync(["serve", "--data", dataDirectory, "--port", "0", .. extraArgs ?? []], dataDirectory, environment, Listening());

    /// <summary><c>cairn worker</c>: no HTTP; ready once it says it runs its loops.</summary>
    public static Task<CairnProcess> StartWorkerAsync(
        string dataDirectory, IReadOnlyList<string>? extraArgs = null, IReadOnlyDictionary<string, string>? environment = null) =>
        StartCommandAsync(["worker", "--data", dataDirectory, .. extraArgs ?? []], dataDirectory, environment, WorkerReady());

    [GeneratedRegex(@"^cairn worker: ")]
    private static partial Regex WorkerReady();

    /// <param name="ready">A line that says the process is up; its first group, if any, is the address it listens on.</param>
    private static async Task<CairnProcess> StartCommandAsync(
        IReadOnlyList<string> args, string dataDirectory, IReadOnlyDictionary<string, string>? environment, Regex ready)
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
        foreach (var arg in new[] { dll }.Concat(args))
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment["CAIRN_ADMIN_TOKEN"] = TestServer.AdminToken;
        info.Environment["CAIRN_PEPPER"] = TestServer.Pepper;
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }
        var process = Process.Start(info)!;
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new StringBuilder();
        process.OutputDataReceived += (_, line) =>
        {
            if (line.Data is null)
            {
                // stderr appends concurrently: read the text under the same lock (a StringBuilder read mid-append throws,
                // and an exception here would end the test host).
                string text;
                lock (output)
                {
                    text = output.ToString();
                }
                listening.TrySetException(new InvalidOperationException("cairn exited before listening:\n" + text));
                return;
            }
            lock (output)
            {
                output.AppendLine(line.Data);
            }
            if (ready.Match(line.Data) is { Success: true } match)
            {
                listening.TrySetResult(new Uri(match.Groups.Count > 1 ? match.Groups[1].Value : "http://127.0.0.1:9/"));
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
            return new CairnProcess(process, await listening.Task.WaitAsync(TimeSpan.FromSeconds(30)), output);
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
