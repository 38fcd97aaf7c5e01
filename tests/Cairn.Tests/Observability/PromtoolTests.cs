using System.Diagnostics;
using Cairn.Tests.Support;

namespace Cairn.Tests.Observability;

/// <summary>A real scrape, after traffic of every kind, linted by Prometheus's own <c>promtool check metrics</c>.</summary>
public sealed class PromtoolTests
{
    private const string Promtool = "/usr/bin/promtool";

    [SkippableFact]
    public async Task Metrics_scrape_passes_promtool_check_metrics()
    {
        if (!File.Exists(Promtool))
        {
            const string reason = "promtool is not installed (apt-get install prometheus)";
            Assert.False(SharedData.InCi, reason + " (required in CI)");
            Skip.If(true, reason);
        }
        await using var server = await TestServer.StartAsync();
        var invalid = Events.Canonical(Events.NewId());
        invalid["timestamp"] = "yesterday";
        (await server.IngestAsync(Events.Array(Events.Canonical(Events.NewId()), invalid))).Dispose();
        (await server.GetAsAdminAsync("/v1/admin/jobs")).Dispose();
        (await server.Http.GetAsync("/v1/admin/stats")).Dispose();
        var scrape = await Scrape.TakeAsync(server);

        var start = new ProcessStartInfo(Promtool, ["check", "metrics"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var promtool = Process.Start(start)!;
        await promtool.StandardInput.WriteAsync(scrape.Text);
        promtool.StandardInput.Close();
        var output = await promtool.StandardOutput.ReadToEndAsync() + await promtool.StandardError.ReadToEndAsync();
        await promtool.WaitForExitAsync();

        Assert.True(promtool.ExitCode == 0, output + "\n---\n" + scrape.Text);
        Assert.Contains("cairn_ingest_events_received", scrape.Text, StringComparison.Ordinal);
    }
}
