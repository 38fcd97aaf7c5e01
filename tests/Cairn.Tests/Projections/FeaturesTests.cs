using Cairn.Hosting;
using Cairn.Projections;
using Cairn.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Tests.Projections;

/// <summary>The server and the offline commands (import, erase, rotate) see the same projections.</summary>
public sealed class FeaturesTests
{
    [Fact]
    public async Task Issue_10_the_server_registers_exactly_the_shipped_projections_and_each_runs()
    {
        await using var server = await TestServer.StartAsync();

        var modules = server.Services.GetServices<ProjectionModule>().Select(m => m.Name).Order(StringComparer.Ordinal).ToList();
        var set = server.Services.GetRequiredService<ProjectionSet>();

        Assert.Equal(Features.Projections.Select(m => m.Name).Order(StringComparer.Ordinal), modules);
        Assert.Equal(modules, set.Names.Order(StringComparer.Ordinal));
        Assert.Contains(Cairn.Progress.ProgressProjection.Name, modules);
        Assert.All(modules, name => Assert.NotNull(set.Find(name)));
    }
}
