using System.Text.Json.Serialization;
using Cairn.Access;
using Cairn.Activity;
using Cairn.Catalogs;
using Cairn.Dashboard;
using Cairn.Groups;
using Cairn.Identity;
using Cairn.Ingest;
using Cairn.Ingest.Sampling;
using Cairn.Ingest.WebSockets;
using Cairn.Observability;
using Cairn.Jobs;
using Cairn.Consent;
using Cairn.Leaderboards;
using Cairn.Mastery;
using Cairn.Players;
using Cairn.Privacy;
using Cairn.Funnels;
using Cairn.Cohorts;
using Cairn.PlayerState;
using Cairn.PlayerState.Cache;
using Cairn.Progress;
using Cairn.PlaySessions;
using Cairn.Projections;
using Cairn.Rollups;
using Cairn.Schemas;
using Cairn.Storage;
using Cairn.Xapi;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace Cairn.Hosting;

/// <summary>Builds the web application that <c>cairn serve</c> runs (and tests and benchmarks start on loopback).</summary>
internal static class CairnServer
{
    public static WebApplication Build(ServeSettings settings, TextWriter? console = null)
    {
        console ??= Console.Out;
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        CairnConfiguration.Apply(builder.Configuration, settings.DataDirectory, settings.Store, settings.Overrides);
        var orgSettingsFile = Groups.OrgsOptions.AddSettingsFile(builder.Configuration, settings.DataDirectory ?? builder.Configuration["Storage:DataDirectory"] ?? new StorageOptions().DataDirectory);
        builder.WebHost.UseUrls($"http://{settings.Host}:{settings.Port}");
        var http = builder.Configuration.GetSection(HttpOptions.SectionName).Get<HttpOptions>() ?? new HttpOptions();
        var forwarded = ForwardedHeadersFrom(http);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = http.MaxBodyBytes);
        // What the socket transport buffers per connection ahead of the handler (1 MiB by default, pinned, from a pool
        // that keeps its peak): many connections sending large bodies would otherwise hold that much each, outside the budget.
        builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets.SocketTransportOptions>(sockets => sockets.MaxReadBufferSize = 64 * 1024);

        var startup = AddCairnCore(builder.Services, builder.Configuration, settings.CatalogsDirectory, settings.Production, withWorkers: true);
        // What a serving process adds, feature by feature.
        builder.Services.AddOptions<HttpOptions>().BindConfiguration(HttpOptions.SectionName)
            .Validate(o => o.MaxBodyBytes > 0 && o.MaxRosterBodyBytes > 0, "Http body limits must be positive.").ValidateOnStart();
        builder.Services.AddAccessThrottle();
        builder.Services.AddSdkCors(http);
        builder.Services.AddIngestApi();
        builder.Services.AddCatalogWatcher();
        builder.Services.AddSchemaWatcher();
        builder.Services.AddDashboard();
        builder.Services.AddRetentionPurge();
        builder.Services.AddMetricsEndpoint();
        builder.Services.AddProblemDetails();
        builder.Services.AddCairnOpenApi();
        builder.Services.AddExceptionHandler<StoreFailureHandler>();
        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
            json.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
        });

        var app = builder.Build();
        if (orgSettingsFile is not null)
        {
            app.Lifetime.ApplicationStopped.Register(orgSettingsFile.Dispose);
        }
        app.Use(Observability.MetricsEndpoint.TimeRequestAsync);
        if (forwarded is not null)
        {
            app.UseForwardedHeaders(forwarded);
        }
        app.Use(SecurityHeaders.ApplyAsync);
        app.UseSdkCors(http);
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            // A malformed request (bad framing, aborted body) is the client's error, never a 500.
            StatusCodeSelector = ex => ex is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
        });
        app.UseStatusCodePages();
        // Who the caller is, before any body is read; then the endpoint's body limit.
        app.Use(app.Services.GetRequiredService<FailureThrottle>().GuardAsync);
        app.Use(Authentication.AuthenticateFirstAsync);
        app.Use(BodyLimits.EnforceAsync);
        // Pings and the pong timeout are set per connection (Ingest:WebSocket), not here.
        app.UseWebSockets();
        app.MapHealthApi();
        app.MapCairnOpenApi();
        app.MapMetricsApi();
        // Ingest checks its own limit (Ingest:MaxBodyBytes, also after gzip) once it has authenticated the key.
        app.MapIngestApi().WithMetadata(new Microsoft.AspNetCore.Mvc.DisableRequestSizeLimitAttribute());
        app.MapWebSocketIngestApi();
        app.MapSamplingApi();
        app.MapPlayersApi();
        app.MapProgressApi();
        app.MapMasteryApi();
        app.MapPlayerStateApi();
        app.MapLeaderboardApi();
        app.MapActivityApi();
        app.MapSessionsApi();
        app.MapFunnelsApi();
        app.MapRetentionApi();
        app.MapAdminApi();
        app.MapJobsApi();
        app.MapCatalogApi();
        app.MapSchemaApi();
        app.MapGroupsApi();
        app.MapMatrixApi();
        app.MapMasteryMatrixApi();
        app.MapClassTimelineApi();
        app.MapDashboardApi();
        app.MapPrivacyApi();
        app.MapXapiApi();
        app.MapPages();

        startup.Report(app.Services, console);
        return app;
    }

    /// <summary>
    /// Forwarded headers (client address, https) are believed only from the configured proxies; none configured, none believed.
    /// </summary>
    private static ForwardedHeadersOptions? ForwardedHeadersFrom(HttpOptions http)
    {
        if (http.TrustedProxies.Count == 0)
        {
            return null;
        }
        var options = new ForwardedHeadersOptions
        {
            ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto,
            // Walk back through every trusted proxy in a chain, stopping at the first address that is not one.
            ForwardLimit = null,
        };
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var entry in http.TrustedProxies)
        {
            if (System.Net.IPNetwork.TryParse(entry, out var network) && entry.Contains('/', StringComparison.Ordinal))
            {
                options.KnownIPNetworks.Add(network);
            }
            else if (System.Net.IPAddress.TryParse(entry, out var address))
            {
                options.KnownProxies.Add(address);
            }
            else
            {
                throw new InvalidOperationException($"Http:TrustedProxies: '{entry}' is neither an IP address nor a network like 10.0.0.0/8.");
            }
        }
        return options;
    }

    /// <summary>
    /// Everything but HTTP: options, the store and its migrations, identity, catalogs, and (with workers)
    /// the job workers. Shared by <c>cairn serve</c> and <c>cairn worker</c>.
    /// </summary>
    public static StartupReport AddCairnCore(
        IServiceCollection services, IConfiguration configuration, string? catalogsDirectory, bool production, bool withWorkers)
    {
        // Background components report their failures to BackgroundHealth and retry (ResilientService); should one
        // still throw, it must not stop the host: ingest and reads go on, and /health/ready says what is failing.
        services.Configure<HostOptions>(host => host.BackgroundServiceExceptionBehavior = BackgroundServiceExceptionBehavior.Ignore);
        services.AddOptions<IdentityOptions>().BindConfiguration(IdentityOptions.SectionName)
            .Validate(o => o.PepperVersion is > 0 and < 1000, "Identity:PepperVersion must be 1..999.").ValidateOnStart();
        var storage = configuration.GetSection(StorageOptions.SectionName).Get<StorageOptions>() ?? new StorageOptions();
        var identity = configuration.GetSection(IdentityOptions.SectionName).Get<IdentityOptions>() ?? new IdentityOptions();
        var access = configuration.GetSection(AccessOptions.SectionName).Get<AccessOptions>() ?? new AccessOptions();

        // Secrets are resolved before the host starts so a production start fails fast and clearly.
        var (pepper, pepperOrigin) = PepperSource.Resolve(identity, storage.DataDirectory, production);
        var (adminToken, generatedToken) = AdminTokenFrom(access, production);
        var playerKeys = new PlayerKeys(pepper, identity.PepperVersion);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<BackgroundHealth>();
        services.AddSingleton(playerKeys);
        services.AddSingleton(PlayerKeyring.From(identity, playerKeys));

        // The features. Background services start in this order: migrate, load the catalogs (which may queue
        // recomputes), load the opt-outs, then the workers.
        services.AddStores(storage);
        services.AddObservability(configuration);
        services.AddCatalogs(catalogsDirectory ?? "catalogs");
        services.AddSchemas(configuration, catalogsDirectory ?? "catalogs");
        services.AddAccess(adminToken, MetricsTokenFrom(access, production));
        services.AddIngest();
        services.AddProgress();
        services.AddMastery();
        services.AddPlayerState();
        services.AddLeaderboards();
        services.AddConsentCategories();
        services.AddActivity();
        services.AddFunnels();
        services.AddRetentionCohorts();
        services.AddPlayerStateCache(configuration);
        services.AddRollups();
        services.AddSessions();
        services.AddProjections();
        services.AddRetention();
        services.AddJobs(withWorkers);

        var report = new StartupReport(storage, identity.PepperVersion, pepperOrigin, generatedToken);
        services.AddSingleton(report);
        return report;
    }

    /// <summary>The admin token, or (on a development start without one) a generated one to print.</summary>
    private static (string Token, string? Generated) AdminTokenFrom(AccessOptions access, bool production)
    {
        if (string.IsNullOrWhiteSpace(access.AdminToken))
        {
            if (production)
            {
                throw new InvalidOperationException("A production start needs an admin token: set CAIRN_ADMIN_TOKEN.");
            }
            var generated = SecretHash.NewSecret("cat_");
            return (generated, generated);
        }
        if (production && access.AdminToken.Trim().Length < AccessOptions.MinProductionAdminTokenLength)
        {
            throw new InvalidOperationException(
                $"CAIRN_ADMIN_TOKEN is too short for a production start: use at least {AccessOptions.MinProductionAdminTokenLength} random characters (128 bits), e.g. 'openssl rand -base64 24'.");
        }
        return (access.AdminToken, null);
    }

    private static string? MetricsTokenFrom(AccessOptions access, bool production)
    {
        if (string.IsNullOrWhiteSpace(access.MetricsToken))
        {
            return null;
        }
        if (production && access.MetricsToken.Trim().Length < AccessOptions.MinProductionAdminTokenLength)
        {
            throw new InvalidOperationException(
                $"CAIRN_METRICS_TOKEN is too short for a production start: use at least {AccessOptions.MinProductionAdminTokenLength} random characters (128 bits).");
        }
        return access.MetricsToken.Trim();
    }

    /// <summary>The address the server actually listens on (after binding port 0).</summary>
    public static Uri ListeningAddress(WebApplication app)
    {
        var server = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>();
        var addresses = server.Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>();
        return new Uri(addresses!.Addresses.First());
    }
}
