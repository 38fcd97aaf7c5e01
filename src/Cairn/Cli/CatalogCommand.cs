using Cairn.Catalogs;

namespace Cairn.Cli;

/// <summary>
/// <c>cairn catalog check FILE|DIR…</c>: validates catalogs offline, as the server would load them, and prints every
/// error of every file (a directory means its catalog files, as <c>--catalogs DIR</c> reads them).
/// </summary>
internal static class CatalogCommand
{
    public static int Run(Args args)
    {
        if (args.Positional.Count < 3 || args.Positional[1] != "check")
        {
            throw new UsageException("expected 'cairn catalog check FILE|DIR [FILE|DIR…]'");
        }
        args.RejectUnknown();
        var failed = 0;
        var checkedFiles = 0;
        var games = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var target in args.Positional.Skip(2))
        {
            var files = Directory.Exists(target) ? CatalogLoader.Files(target).ToList() : [target];
            if (files.Count == 0)
            {
                Console.Error.WriteLine($"{target}: no catalog files (*.yaml, *.yml) in this directory");
                failed++;
            }
            foreach (var file in files)
            {
                checkedFiles++;
                try
                {
                    var catalog = CatalogLoader.Load(file, File.ReadAllText(file));
                    if (games.TryGetValue(catalog.Game, out var other))
                    {
                        // The server keeps the first file of a game and ignores the other.
                        Console.Error.WriteLine($"{file}: game '{catalog.Game}' is already defined by {other}; a server would ignore this file");
                        failed++;
                        continue;
                    }
                    games[catalog.Game] = file;
                    Console.WriteLine($"{file}: ok: game '{catalog.Game}', {Plural(catalog.Units.Count, "unit")}, {Plural(catalog.Points.Count, "point")}");
                }
                catch (CatalogException ex)
                {
                    foreach (var error in ex.Errors)
                    {
                        Console.Error.WriteLine(error.Message);
                    }
                    failed++;
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    Console.Error.WriteLine($"{file}: cannot be read: {ex.Message}");
                    failed++;
                }
            }
        }
        if (checkedFiles > 1)
        {
            Console.Error.WriteLine(failed == 0 ? $"{Plural(checkedFiles, "file")} checked: all valid" : $"{Plural(checkedFiles, "file")} checked: {failed} with errors");
        }
        return failed == 0 ? 0 : 1;
    }

    internal static string Plural(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";
}
