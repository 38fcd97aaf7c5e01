using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Cairn.Tests.Support;

namespace Cairn.Tests.Xapi;

/// <summary>Issue 17: <c>cairn keys create --role lrs</c> prints user:password alone on its last stdout line, and a server on the same data directory takes it.</summary>
public sealed class LrsCredentialCliTests
{
    private static string Catalogs => Path.Combine(SharedData.RepositoryRoot(), "catalogs");

    [Fact]
    public async Task Issue_17_keys_create_role_lrs_prints_basic_credentials_that_the_server_accepts_on_xapi_only()
    {
        using var root = new TempDirectory();
        var data = root.Combine("data");
        using var server = await CairnProcess.StartAsync(data, ["--catalogs", Catalogs]);

        var created = await CairnCli.RunAsync(root.Path, "keys", "create", "--org", "demo", "--game", "mhs", "--role", "lrs", "--data", data, "--catalogs", Catalogs);
        var credential = created.Output.TrimEnd().Split('\n')[^1].Trim();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/xapi/statements");
        request.Headers.Add("X-Experience-API-Version", "2.0.0");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credential)));
        using var xapi = await server.Http.SendAsync(request);
        using var elsewhere = new HttpRequestMessage(HttpMethod.Get, "/v1/groups");
        elsewhere.Headers.Authorization = request.Headers.Authorization;
        using var groups = await server.Http.SendAsync(elsewhere);

        Assert.True(created.ExitCode == 0, created.Error);
        Assert.Matches("^key_[0-9a-f]+:clk_[A-Za-z0-9_-]+$", credential);
        Assert.Equal(HttpStatusCode.OK, xapi.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, groups.StatusCode);
    }
}
