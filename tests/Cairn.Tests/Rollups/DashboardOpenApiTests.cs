using System.Text.Json;
using Cairn.Tests.Support;

namespace Cairn.Tests.Rollups;

/// <summary>Issue #12: the class dashboard in the API description.</summary>
public sealed class DashboardOpenApiTests
{
    [Fact]
    public async Task Issue_12_the_dashboard_is_described_with_its_name_its_answer_and_its_problems()
    {
        await using var server = await TestServer.StartAsync();

        using var response = await server.Http.GetAsync("/openapi/v1.json");
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        var get = document.RootElement.GetProperty("paths").GetProperty("/v1/groups/{groupId}/dashboard").GetProperty("get");
        Assert.Equal("getGroupDashboard", get.GetProperty("operationId").GetString());
        var responses = get.GetProperty("responses");
        Assert.Equal("#/components/schemas/GroupDashboard", responses.GetProperty("200").GetProperty("content").GetProperty("application/json")
            .GetProperty("schema").GetProperty("$ref").GetString());
        foreach (var status in new[] { "400", "404" })
        {
            Assert.True(responses.GetProperty(status).GetProperty("content").TryGetProperty("application/problem+json", out _), status);
        }
        var schemas = document.RootElement.GetProperty("components").GetProperty("schemas");
        Assert.True(schemas.GetProperty("GroupDashboard").GetProperty("properties").TryGetProperty("atRisk", out _));
    }
}
