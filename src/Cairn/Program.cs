using Cairn.Cli;
using Cairn.Catalogs;
using Cairn.Import;
using Cairn.Storage;

try
{
    var command = args.FirstOrDefault() ?? "help";
    var rest = args.Skip(1);
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
        "simulate" => await SimulateCommand.RunAsync(Args.Parse(rest), cancel.Token),
        "catalog" => CatalogCommand.Run(Args.Parse(args)),
        "jobs" => await JobsCommand.RunAsync(Args.Parse(args), cancel.Token),
        "roster" => await RosterCommand.RunAsync(Args.Parse(args), cancel.Token),
        "erase" => await PrivacyCommands.EraseAsync(Args.Parse(rest), cancel.Token),
        "purge" => await PrivacyCommands.PurgeAsync(Args.Parse(rest), cancel.Token),
        "export" => await PrivacyCommands.ExportAsync(Args.Parse(args, "names"), cancel.Token),
        "rekey" => await PrivacyCommands.RekeyAsync(Args.Parse(rest), cancel.Token),
        "help" or "--help" or "-h" => Help(),
        _ => throw new UsageException($"unknown command '{command}'"),
    };
}
catch (UsageException ex)
{
    Console.Error.WriteLine($"cairn: {ex.Message}");
    Console.Error.WriteLine();
    Console.Error.WriteLine(Usage.Text);
    return 2;
}
catch (Exception ex) when (ex is InvalidOperationException or CatalogException or ImportException or IOException or StoreUnavailableException)
{
    Console.Error.WriteLine($"cairn: {ex.Message}");
    return 1;
}
catch (System.Data.Common.DbException ex)
{
    Console.Error.WriteLine($"cairn: the store refused: {ex.Message}");
    return 1;
}

static int Help()
{
    Console.WriteLine(Usage.Text);
    return 0;
}
