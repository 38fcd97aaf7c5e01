using Cairn.Consent.Storage;
using Cairn.Hosting;
using Microsoft.Extensions.Options;

namespace Cairn.Consent;

/// <summary>
/// Loads the declined categories before ingest starts, then refreshes them (for changes made by other processes) with
/// the opt-outs' period (<c>Access:OptOutRefreshSeconds</c>). Until a first load succeeds ingest answers 503.
/// </summary>
internal sealed class ConsentCategorySync(
    IConsentCategoryStore store, ConsentCategories categories, Identity.PlayerKeys keys, IOptions<Access.AccessOptions> options, BackgroundHealth health, ILogger<ConsentCategorySync> logger)
    : ResilientService(ComponentName, health, logger)
{
    public const string ComponentName = "consent-category-sync";

    private TimeSpan Period => TimeSpan.FromSeconds(options.Value.OptOutRefreshSeconds);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await RefreshAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            failures = Health.IsFailing(Component) ? failures + 1 : 0;
            var wait = failures == 0 ? Period : (Backoff(failures) < Period ? Backoff(failures) : Period);
            await Task.Delay(wait, stoppingToken);
            await RefreshAsync(stoppingToken);
        }
    }

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        try
        {
            // Each under its stored key and its current key (a pepper rotation may be under way), as for the opt-outs.
            categories.Replace(ConsentCategories.Expand(await store.ListDeclinedAsync(cancellationToken), keys));
            Succeeded();
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            Failed(ex);
            Log.RefreshFailed(logger, ex);
        }
    }
}
