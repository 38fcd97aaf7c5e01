using Cairn.Catalogs;

namespace Cairn.Cli;

/// <summary><c>cairn catalog check FILE…</c>: validates catalogs offline, as the server would load them.</summary>
internal static class CatalogCommand
{
    public static int Run(Args args)
    {
        if (args.Positional.Count < 3 || args.Positional[1] != "check")
        {
            throw new UsageException("expected 'cairn catalog check FILE [FILE…]'");
        }
        args.RejectUnknown();
        var failed = 0;
        foreach (var file in args.Positional.Skip(2))
        {
            try
            {
                var catalog = CatalogLoader.Load(file, File.ReadAllText(file));
                Console.WriteLine($"{file}: ok: game '{catalog.Game}', {catalog.Units.Count} units, {catalog.Points.Count} points");
            }
            catch (CatalogException ex)
            {
                Console.Error.WriteLine(ex.Message);
                failed++;
            }
            catch (IOException ex)
            {
                Console.Error.WriteLine($"{file}: {ex.Message}");
                failed++;
            }
        }
        return failed == 0 ? 0 : 1;
    }
}
