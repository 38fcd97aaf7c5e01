namespace Cairn.Demo;

/// <summary>Placeholder replaced below.</summary>
internal static class DemoRunner
{
    public static Task RunAsync(WebApplication app, Uri address, TextWriter output, CancellationToken cancellationToken) => Task.CompletedTask;
}
