using System.Security.Cryptography;
using System.Text;

namespace Cairn.Identity;

/// <summary>Finds the pepper: configuration, then a secret file, then (dev only) a generated file in the data directory.</summary>
internal static class PepperSource
{
    public const string DevPepperFileName = "pepper.secret";

    /// <returns>The pepper bytes, and whether a development pepper was created just now.</returns>
    public static (byte[] Pepper, string Origin) Resolve(IdentityOptions options, string dataDirectory, bool production)
    {
        if (!string.IsNullOrWhiteSpace(options.Pepper))
        {
            return (Check(Encoding.UTF8.GetBytes(options.Pepper.Trim())), "configuration");
        }
        if (!string.IsNullOrWhiteSpace(options.PepperFile))
        {
            if (!File.Exists(options.PepperFile))
            {
                throw new InvalidOperationException($"Identity:PepperFile points at '{options.PepperFile}', which does not exist.");
            }
            return (Check(Encoding.UTF8.GetBytes(File.ReadAllText(options.PepperFile).Trim())), "pepper file");
        }
        if (production)
        {
            throw new InvalidOperationException(
                "A production start needs a pepper: set CAIRN_PEPPER or Identity:PepperFile (at least 16 bytes). " +
                "Without a stable pepper, player keys would change and break every player's history.");
        }
        var path = Path.Combine(dataDirectory, DevPepperFileName);
        if (File.Exists(path))
        {
            return (Check(Encoding.UTF8.GetBytes(File.ReadAllText(path).Trim())), "development pepper file in the data directory");
        }
        Directory.CreateDirectory(dataDirectory);
        var generated = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var fileOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            // Only the service's own user may read the pepper.
            fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using (var stream = new FileStream(path, fileOptions))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(generated);
        }
        return (Encoding.UTF8.GetBytes(generated), "new development pepper file created in the data directory");
    }

    private static byte[] Check(byte[] pepper) =>
        pepper.Length >= 16 ? pepper : throw new InvalidOperationException("The pepper must be at least 16 bytes long.");
}
