using System.Net;
using System.Text.Json;
using Cairn.Tests.Support;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Tests.Http;

/// <summary>GET /openapi/v1.json, generated from the endpoints of the real server (slim builder, its JSON options).</summary>
public sealed class OpenApiTests
{
    private const string DocumentRoute = "/openapi/{documentName}.json";

    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];

    private static async Task<JsonDocument> ReadDocumentAsync(TestServer server)
    {
        using var response = await server.Http.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    private static IEnumerable<(string Path, string Method, JsonElement Operation)> Operations(JsonDocument document) =>
        from path in document.RootElement.GetProperty("paths").EnumerateObject()
        from operation in path.Value.EnumerateObject()
        where Methods.Contains(operation.Name)
        select (path.Name, operation.Name, operation.Value);

    private static string Normalize(string path) => path.Length > 1 ? path.TrimEnd('/') : path;

    [Fact]
    public async Task Issue_11_the_openapi_document_describes_every_mapped_route_and_method()
    {
        await using var server = await TestServer.StartAsync();
        var endpoints = server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();

        using var document = await ReadDocumentAsync(server);

        Assert.StartsWith("3.", document.RootElement.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        Assert.Contains(endpoints, e => e.RoutePattern.RawText == DocumentRoute);
        var described = Operations(document).Select(o => $"{o.Method.ToUpperInvariant()} {Normalize(o.Path)}").ToHashSet(StringComparer.Ordinal);
        // The xAPI LRS (/xapi/) is described by the xAPI specification and docs/xapi.md, not by this document; everything else is here.
        var mapped = endpoints.Where(e => e.RoutePattern.RawText != DocumentRoute && !e.RoutePattern.RawText!.TrimStart('/').StartsWith("xapi/", StringComparison.Ordinal))
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["ANY"])
                .Select(m => $"{m} {Normalize("/" + e.RoutePattern.RawText!.TrimStart('/'))}"))
            .ToHashSet(StringComparer.Ordinal);
        Assert.True(mapped.Count >= 40, $"only {mapped.Count} routes mapped: is the data source the server's?");
        var missing = mapped.Except(described).Order(StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0, "mapped but not in /openapi/v1.json:\n" + string.Join('\n', missing));
        Assert.Empty(described.Except(mapped));
    }

    [Fact]
    public async Task Issue_11_every_operation_has_a_name_a_summary_an_answer_and_problem_details_for_its_api_errors()
    {
        await using var server = await TestServer.StartAsync();

        using var document = await ReadDocumentAsync(server);

        var schemas = document.RootElement.GetProperty("components").GetProperty("schemas");
        Assert.True(schemas.TryGetProperty("ProblemDetails", out _));
        var names = new HashSet<string>(StringComparer.Ordinal);
        var wrong = new List<string>();
        foreach (var (path, method, operation) in Operations(document))
        {
            var where = $"{method.ToUpperInvariant()} {path}";
            if (!operation.TryGetProperty("operationId", out var id) || !names.Add(id.GetString()!))
            {
                wrong.Add($"{where}: no operationId, or one another operation has");
            }
            if (!operation.TryGetProperty("summary", out var summary) || summary.GetString()!.Length < 10)
            {
                wrong.Add($"{where}: no summary");
            }
            var responses = operation.GetProperty("responses").EnumerateObject().ToList();
            // 101 is the success of a WebSocket upgrade (GET /v1/ws).
            if (!responses.Any(r => r.Name[0] is '2' or '3' || r.Name == "101"))
            {
                wrong.Add($"{where}: no success answer");
            }
            if (!path.StartsWith("/v1/", StringComparison.Ordinal))
            {
                continue;
            }
            var secured = operation.TryGetProperty("security", out var security)
                && security.EnumerateArray().Any(s => s.TryGetProperty("bearer", out _));
            if (!secured)
            {
                wrong.Add($"{where}: no bearer security requirement");
            }
            foreach (var status in new[] { "401", "403" })
            {
                if (!responses.Any(r => r.Name == status))
                {
                    wrong.Add($"{where}: no {status} answer");
                }
            }
            foreach (var error in responses.Where(r => r.Name[0] is '4' or '5'))
            {
                var problem = error.Value.TryGetProperty("content", out var content)
                    && content.TryGetProperty("application/problem+json", out var media)
                    && media.GetProperty("schema").GetProperty("$ref").GetString() == "#/components/schemas/ProblemDetails";
                if (!problem)
                {
                    wrong.Add($"{where}: {error.Name} is not described as problem details");
                }
            }
        }
        Assert.True(wrong.Count == 0, string.Join('\n', wrong));
        var refs = new List<string>();
        Collect(document.RootElement, refs);
        Assert.All(refs.Where(r => r.StartsWith("#/components/schemas/", StringComparison.Ordinal)),
            r => Assert.True(schemas.TryGetProperty(r["#/components/schemas/".Length..], out _), $"{r} does not resolve"));
    }

    [Fact]
    public async Task Issue_11_the_openapi_document_names_the_request_and_answer_types()
    {
        await using var server = await TestServer.StartAsync();

        using var document = await ReadDocumentAsync(server);

        var paths = document.RootElement.GetProperty("paths");
        Assert.Contains("\"$ref\":\"#/components/schemas/CreateGroupRequest\"", Compact(paths.GetProperty("/v1/groups").GetProperty("post")
            .GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema")), StringComparison.Ordinal);
        Assert.True(paths.GetProperty("/v1/events").GetProperty("post").GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _));
        Assert.True(paths.GetProperty("/signin").GetProperty("post").GetProperty("requestBody").GetProperty("content")
            .TryGetProperty("application/x-www-form-urlencoded", out _));
        Assert.Equal("#/components/schemas/IngestResponse", paths.GetProperty("/v1/events").GetProperty("post")
            .GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString());
        // The matrix answers either the whole matrix or, with ?since=, the changes: both are described.
        var matrix = paths.GetProperty("/v1/groups/{groupId}/progress").GetProperty("get").GetProperty("responses").GetProperty("200")
            .GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("anyOf").EnumerateArray().ToList();
        Assert.Equal(2, matrix.Count);
        static string[] Properties(JsonElement schema) =>
            [.. schema.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)];
        Assert.Contains(matrix, s => Properties(s).SequenceEqual(["cells", "cursor", "group", "players", "points", "units"]));
        Assert.Contains(matrix, s => Properties(s).SequenceEqual(["cells", "cursor"]));
        Assert.True(paths.GetProperty("/v1/groups/{groupId}/progress/stream").GetProperty("get").GetProperty("responses").GetProperty("200")
            .GetProperty("content").TryGetProperty("text/event-stream", out _));
        Assert.Equal("bearer", document.RootElement.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer").GetProperty("scheme").GetString());
        Assert.False(paths.GetProperty("/health/live").GetProperty("get").TryGetProperty("security", out _));
    }

    private static string Compact(JsonElement element) => JsonSerializer.Serialize(element);

    private static void Collect(JsonElement element, List<string> refs)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (property.Name == "$ref" && property.Value.ValueKind == JsonValueKind.String)
                    {
                        refs.Add(property.Value.GetString()!);
                    }
                    Collect(property.Value, refs);
                }
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Collect(item, refs);
                }
                break;
        }
    }
}
