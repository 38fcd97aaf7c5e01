using Cairn.Groups;

namespace Cairn.Cli;

/// <summary><c>cairn orgs set --org O --auto-create-classes true|false</c>: an org's settings, in the data directory's <c>orgs.json</c>.</summary>
internal static class OrgsCommand
{
    public static async Task<int> RunAsync(Args args, CancellationToken cancellationToken)
    {
        if (args.Positional is not ["orgs", "set"])
        {
            throw new UsageException("expected 'cairn orgs set --org ORG --auto-create-classes true|false'");
        }
        var org = args.RequiredOption("org");
        var text = args.RequiredOption("auto-create-classes");
        var data = args.Option("data") ?? Environment.GetEnvironmentVariable("CAIRN_DATA") ?? new Storage.StorageOptions().DataDirectory;
        args.RejectUnknown();
        if (!Access.AdminApi.Identifier().IsMatch(org))
        {
            throw new UsageException("--org must be an org id: letters, digits, '_', '.', '-', up to 64 characters");
        }
        if (!bool.TryParse(text, out var value))
        {
            throw new UsageException("--auto-create-classes must be true or false");
        }
        await OrgSettingsFile.SetAsync(data, org, nameof(OrgSettings.AutoCreateClasses), value, cancellationToken);
        Console.WriteLine($"org {org}: AutoCreateClasses = {(value ? "true" : "false")} in {Path.GetFullPath(OrgSettingsFile.PathIn(data))} " +
            "(a server on this data directory applies it at once)");
        return 0;
    }
}
