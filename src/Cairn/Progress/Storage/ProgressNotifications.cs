using Cairn.Dashboard;
using Cairn.Storage;
using Cairn.Storage.Postgres;
using Npgsql;

namespace Cairn.Progress.Storage;

/// <summary>
/// LISTENs for progress changes committed by any process on the database (a <c>cairn worker</c>, another
/// node) and wakes this node's live streams. Streams still poll, so a dropped connection only adds latency.
/// </summary>
internal sealed class ProgressNotifications(Stores stores, ProgressFeed feed, Hosting.BackgroundHealth health, ILogger<ProgressNotifications> logger)
    : Hosting.ResilientService(ComponentName, health, logger)
{
    public const string ComponentName = "progress-listener";

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        if (stores.Database is not PostgresDatabase postgres)
        {
            return;
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await postgres.DataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, _) => feed.Notify();
                await using (var listen = new NpgsqlCommand($"LISTEN {PostgresProgressStore.ProgressChannel};", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }
                // Catch up on anything committed while not listening.
                feed.Notify();
                Succeeded();
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or PostgresException or TimeoutException)
            {
                Failed(ex);
                Log.ListenFailed(logger, ex);
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }
}
