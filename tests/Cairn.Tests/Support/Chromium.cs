using OpenQA.Selenium.Chrome;

namespace Cairn.Tests.Support;

/// <summary>Debian's Chromium and ChromeDriver (never a downloaded browser), headless.</summary>
internal static class Chromium
{
    public const string Browser = "/usr/bin/chromium";
    public const string Driver = "/usr/bin/chromedriver";

    /// <summary>A headless browser, or a skip locally / a failure in CI when Chromium is not installed.</summary>
    public static ChromeDriver Start(string profileDirectory)
    {
        if (!File.Exists(Browser) || !File.Exists(Driver))
        {
            const string reason = "Chromium is not installed (apt-get install chromium chromium-driver)";
            Assert.False(SharedData.InCi, reason + " (required in CI)");
            Skip.If(true, reason);
        }
        var options = new ChromeOptions { BinaryLocation = Browser };
        // The machine has no network beyond loopback: background services of the browser are turned off.
        options.AddArguments(
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--window-size=1400,900",
            "--user-data-dir=" + profileDirectory);
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(Driver)!, Path.GetFileName(Driver));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        return new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
    }

    /// <summary>Where screenshots of test runs are kept (TestResults/ at the repository root, ignored by git).</summary>
    public static string ArtifactPath(string fileName)
    {
        var directory = Path.Combine(SharedData.RepositoryRoot(), "TestResults", "artifacts");
        Directory.CreateDirectory(directory);
        return Path.Combine(directory, fileName);
    }
}
