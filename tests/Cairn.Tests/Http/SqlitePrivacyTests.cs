using System.Text;
using Cairn.Tests.Support;

namespace Cairn.Tests.Http;

/// <summary>
/// The <see cref="PrivacyTests"/> facts on the embedded SQLite store, a file in the server's temp data directory,
/// the parameter checks that answer before any store is asked, and a byte scan of the SQLite files (run once, here).
/// </summary>
public sealed class SqlitePrivacyTests : PrivacyTests
{
    private protected override Task<TestServer> StartServerAsync(
        IReadOnlyDictionary<string, string?>? overrides = null, IReadOnlyDictionary<string, string>? catalogs = null) =>
        TestServer.StartAsync(overrides, catalogs);

    [Theory]
    [InlineData("limit=0")]
    [InlineData("limit=1001")]
    [InlineData("limit=ten")]
    [InlineData("cursor=not-a-cursor!")]
    public async Task Rejected_list_answers_400_for_bad_parameters(string query)
    {
        using var response = await Server.GetAsAdminAsync("/v1/admin/rejected?" + query);

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Database_file_holds_no_raw_player_id_once_the_directory_row_is_gone()
    {
        await IngestMixAsync();
        await Server.StopAsync();

        // Remove the one place the raw id may be, rebuild the file (no free pages keep old bytes), then read every byte.
        Database.Execute(Server.DatabasePath, "PRAGMA secure_delete = ON; DELETE FROM players; VACUUM; PRAGMA wal_checkpoint(TRUNCATE);");
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var files = Directory.GetFiles(Server.DataDirectory, "cairn.db*");

        Assert.Contains(files, f => f.EndsWith("cairn.db", StringComparison.Ordinal));
        Assert.True(Database.Scalar(Server.DatabasePath, "SELECT COUNT(*) FROM events;") > 0);
        foreach (var file in files)
        {
            var bytes = await File.ReadAllBytesAsync(file);
            foreach (var needle in new[] { RawPlayer, RawPlayer.ToLowerInvariant(), RawPlayer.ToUpperInvariant() })
            {
                Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(needle)) < 0, $"{Path.GetFileName(file)} holds '{needle}'");
            }
        }
    }
}
