using System.Globalization;

namespace Cairn.Cli;

/// <summary>
/// One <c>cairn serve</c> per SQLite data directory: <c>DIR/cairn.lock</c> holds the pid of the server that uses it,
/// under an OS record lock (fcntl on Unix, LockFileEx on Windows). The OS drops the lock when the process ends,
/// however it ends, so a crash never leaves a stale lock; the file itself stays and is simply taken over.
/// </summary>
internal sealed class DataDirectoryLock : IDisposable
{
    public const string FileName = "cairn.lock";

    private readonly FileStream _file;

    private DataDirectoryLock(FileStream file) => _file = file;

    /// <summary>Takes the lock, or says which process holds it (<see cref="InvalidOperationException"/>).</summary>
    public static DataDirectoryLock Acquire(string dataDirectory)
    {
        var directory = Path.GetFullPath(dataDirectory);
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, FileName);
        FileStream file;
        if (OperatingSystem.IsMacOS())
        {
            // No region locks there in .NET: an exclusive whole-file lock (flock), so the holder's pid cannot be read.
            try
            {
                file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                throw InUse(directory, "another process");
            }
        }
        else
        {
            // Shared opening, so a second process can read who holds the lock; the exclusion is the region lock.
            file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
            try
            {
                file.Lock(0, 1);
            }
            catch (IOException)
            {
                var holder = ReadHolder(file);
                file.Dispose();
                throw InUse(directory, holder);
            }
        }
        file.SetLength(0);
        using (var writer = new StreamWriter(file, leaveOpen: true))
        {
            writer.Write(string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessId}\n"));
        }
        file.Flush(flushToDisk: true);
        return new DataDirectoryLock(file);
    }

    private static InvalidOperationException InUse(string directory, string holder) =>
        new($"the data directory {directory} is in use by another cairn serve ({holder}); stop that one, or give this one another --data DIR");

    private static string ReadHolder(FileStream file)
    {
        try
        {
            file.Position = 0;
            using var reader = new StreamReader(file, leaveOpen: true);
            var pid = reader.ReadLine()?.Trim();
            return int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? $"process {id}" : "a process that is starting";
        }
        catch (IOException)
        {
            return "another process";
        }
    }

    public void Dispose()
    {
        // Closing the file releases the lock; the file stays for the next server to take over.
        _file.Dispose();
    }
}
