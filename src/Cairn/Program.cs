using Cairn.Cli;
using Cairn.Catalogs;
using Cairn.Import;
using Cairn.Storage;

try
{
    var command = args.FirstOrDefault() ?? "help";
    var rest = args.Skip(1);
    if (command is "--version" or "version")
    {
        Console.WriteLine($"cairn {Usage.Version}");
        return 0;
    }
    // Help comes before parsing, so 'cairn serve --help' never starts a server; values after '--' are not flags.
    if (args.TakeWhile(a => a != "--").Any(a => a is "--help" or "-h") || command == "help")
    {
        return Help(command == "help" ? rest.ToList() : args);
    }
    using var cancel = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) =>
    {
        if (command is not ("serve" or "worker"))
        {
            e.Cancel = true;
            cancel.Cancel();
        }
    };
    return command switch
    {
        "serve" => await ServeCommand.RunAsync(Args.Parse(rest, "demo", "production")),
        "keys" => await KeysCommand.RunAsync(Args.Parse(args), cancel.Token),
        "import" => await ImportCommand.RunAsync(Args.Parse(rest, "quiet", "no-jobs"), cancel.Token),
        "worker" => await WorkerCommand.RunAsync(Args.Parse(rest)),
        "simulate" => await SimulateCommand.RunAsync(Args.Parse(rest, "lms"), cancel.Token),
        "catalog" => CatalogCommand.Run(Args.Parse(args)),
        "schema" => SchemaCommand.Run(Args.Parse(args)),
        "jobs" => await JobsCommand.RunAsync(Args.Parse(args), cancel.Token),
        "mastery" => await MasteryCommand.RunAsync(Args.Parse(args), cancel.Token),
        "orgs" => await OrgsCommand.RunAsync(Args.Parse(args), cancel.Token),
        "roster" => await RosterCommand.RunAsync(Args.Parse(args), cancel.Token),
        "erase" => await PrivacyCommands.EraseAsync(Args.Parse(rest), cancel.Token),
        "purge" => await PrivacyCommands.PurgeAsync(Args.Parse(rest), cancel.Token),
        "export" => await PrivacyCommands.ExportAsync(Args.Parse(args, "names"), cancel.Token),
        "rekey" => await PrivacyCommands.RekeyAsync(Args.Parse(rest), cancel.Token),
        _ => throw new UsageException($"unknown command '{command}'" +
            (Args.Suggest(command.TrimStart('-'), Usage.CommandNames) is { } near ? $" (did you mean '{near}'?)" : "")),
    };
}
catch (UsageException ex)
{
    Console.Error.WriteLine($"cairn: {ex.Message}");
    Console.Error.WriteLine();
    // The usage of the command at hand (the whole list for an unknown command).
    Console.Error.WriteLine(Usage.For(args) ?? Usage.Text);
    return 2;
}
catch (Exception ex) when (ex is InvalidOperationException or CatalogException or ImportException or IOException or StoreUnavailableException
    or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"cairn: {ex.Message}");
    return 1;
}
catch (System.Data.Common.DbException ex)
{
    Console.Error.WriteLine($"cairn: the store refused: {ex.Message}");
    return 1;
}

static int Help(IReadOnlyList<string> words)
{
    if (Usage.For(words) is not { } help)
    {
        throw new UsageException($"no help for '{string.Join(' ', words)}': not a command");
    }
    Console.WriteLine(help);
    return 0;
}
