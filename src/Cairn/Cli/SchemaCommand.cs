using Cairn.Schemas;

namespace Cairn.Cli;

/// <summary>
/// <c>cairn schema check DIR</c>: loads a schemas directory offline, as the server would (every file compiled, every minor and
/// patch version checked against the previous version of its major), and prints a <c>cairn: FILE: reason</c> line per refused file.
/// </summary>
internal static class SchemaCommand
{
    public static int Run(Args args)
    {
        if (args.Positional.Count != 3 || args.Positional[1] != "check")
        {
            throw new UsageException("expected 'cairn schema check DIR'");
        }
        args.RejectUnknown();
        var directory = args.Positional[2];
        if (!Directory.Exists(directory))
        {
            Console.Error.WriteLine($"cairn: {directory}: not a directory (a schemas directory holds {{game}}/{{eventType}}/MAJOR.MINOR.PATCH.json)");
            return 1;
        }
        var (schemas, errors) = EventSchemaRegistry.LoadDirectory(directory);
        foreach (var error in errors)
        {
            Console.Error.WriteLine($"cairn: {error}");
        }
        var set = new SchemaSet(schemas);
        Console.WriteLine($"{directory}: {CatalogCommand.Plural(set.Count, "schema")} of {CatalogCommand.Plural(set.EventTypes, "event type")} valid"
            + (errors.Count > 0 ? $", {CatalogCommand.Plural(errors.Count, "file")} refused" : ""));
        return errors.Count == 0 ? 0 : 1;
    }
}
