using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Cairn.Tests.Support;

namespace Cairn.Tests.Dashboard;

public sealed class DemoTests
{
    [Fact]
    public async Task Serve_demo_creates_a_class_of_25_and_its_cells_fill_in_live()
    {
        using var root = new TempDirectory();
        var catalogs = Path.Combine(SharedData.RepositoryRoot(), "catalogs");

        using var demo = await CairnProcess.StartAsync(root.Combine("data"), ["--demo", "--catalogs", catalogs],
            new Dictionary<string, string> { ["CAIRN_Demo__Speed"] = "600" });

        var deadline = DateTime.UtcNow.AddSeconds(60);
        var coloured = 0;
        var players = 0;
        do
        {
            await Task.Delay(500);
            var request = new HttpRequestMessage(HttpMethod.Get, "/v1/groups/demo-class/progress");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestServer.AdminToken);
            using var response = await demo.Http.SendAsync(request);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                continue; // the demo creates the class after its dialect showcase
            }
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var matrix = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            players = matrix.RootElement.GetProperty("players").GetArrayLength();
            coloured = matrix.RootElement.GetProperty("cells").EnumerateArray()
                .Sum(row => row.EnumerateArray().Count(c => c.GetProperty("status").GetString() != "white"));
        }
        while (coloured < 10 && DateTime.UtcNow < deadline);

        Assert.Equal(25, players);
        Assert.True(coloured >= 10, $"only {coloured} cells changed in 60 s");
        Assert.Contains("/groups/demo-class", demo.Output, StringComparison.Ordinal);
        Assert.Contains("sign in with your CAIRN_ADMIN_TOKEN", demo.Output, StringComparison.Ordinal);
        await demo.StopAsync();
    }
}
