using PublicApiGenerator;

namespace Cairn.Client.Tests;

/// <summary>
/// The public surface of Cairn.Client against the approved file (tests/Cairn.Client.Tests/Cairn.Client.approved.txt):
/// a change to it fails here until the file is updated on purpose (set CAIRN_APPROVE_API=1 and run this test once).
/// </summary>
public sealed class PublicApiTests
{
    [Fact]
    public void Issue_16_the_public_api_of_the_sdk_is_the_approved_one()
    {
        var api = typeof(CairnClient).Assembly.GeneratePublicApi(new ApiGeneratorOptions { ExcludeAttributes = ["System.Runtime.Versioning.TargetFrameworkAttribute"] })
            .Replace("\r\n", "\n", StringComparison.Ordinal);
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Cairn.slnx")))
        {
            root = root.Parent;
        }
        Assert.NotNull(root);
        var approved = Path.Combine(root!.FullName, "tests", "Cairn.Client.Tests", "Cairn.Client.approved.txt");
        if (Environment.GetEnvironmentVariable("CAIRN_APPROVE_API") == "1")
        {
            File.WriteAllText(approved, api);
        }
        Assert.True(File.Exists(approved), "Missing " + approved + ": run with CAIRN_APPROVE_API=1 to write it, and commit it.");
        Assert.Equal(File.ReadAllText(approved).Replace("\r\n", "\n", StringComparison.Ordinal), api);
    }
}
