namespace Cairn.Access;

/// <summary>Who may call what, until roles and scopes arrive.</summary>
internal sealed class AccessOptions
{
    public const string SectionName = "Access";

    /// <summary>The admin token (or CAIRN_ADMIN_TOKEN). A development start without one generates and prints one.</summary>
    public string? AdminToken { get; set; }

    /// <summary>
    /// A token that may read <c>GET /metrics</c> and nothing else (or CAIRN_METRICS_TOKEN), for a Prometheus scraper.
    /// Unset (the default): only the admin token may scrape. Never open without a token.
    /// </summary>
    public string? MetricsToken { get; set; }

    /// <summary>How often each process reloads the opted-out players from the store (changes made by other processes).</summary>
    public int OptOutRefreshSeconds { get; set; } = 10;

    /// <summary>Shortest admin token a <c>--production</c> start accepts: 22 random characters hold 128 bits.</summary>
    public const int MinProductionAdminTokenLength = 22;

    /// <summary>Failed sign-ins and unknown bearer tokens one client address may send before it must back off. 0 = no throttling.</summary>
    public int FailuresBeforeBackoff { get; set; } = 10;

    /// <summary>The first back-off, in seconds, once an address has used up its free failures.</summary>
    public int BackoffSeconds { get; set; } = 1;

    /// <summary>Longest back-off, in seconds: each further failure doubles the wait, up to this.</summary>
    public int MaxBackoffSeconds { get; set; } = 60;

    /// <summary>Minutes without a failure after which an address's failures are forgotten.</summary>
    public int FailureMemoryMinutes { get; set; } = 15;
}
