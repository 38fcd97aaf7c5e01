using System.Text.Json.Serialization;
using Cairn.Access;
using Cairn.Catalogs;
using Cairn.Dashboard;
using Cairn.Groups;
using Cairn.Identity;
using Cairn.Ingest;
using Cairn.Observability;
using Cairn.Jobs;
using Cairn.Players;
using Cairn.Privacy;
using Cairn.Progress;
using Cairn.Storage;
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
        builder.WebHost.UseUrls($"http://{settings.Host}:{settings.Port}");
        var http = builder.Configuration.GetSection(HttpOptions.SectionName).Get<HttpOptions>() ?? new HttpOptions();
        var forwarded = ForwardedHeadersFrom(http);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = http.MaxBodyBytes);
        // What the socket transport buffers per connection ahead of the handler (1 MiB by default, pinned, from a pool
        // that keeps its peak): many connections sending large bodies would otherwise hold that much each, outside the budget.
        builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets.SocketTransportOptions>(sockets => sockets.MaxReadBufferSize = 64 * 1024);

        var startup = AddCairnCore(builder.Services, builder.Configuration, settings.CatalogsDirectory, settings.Production, withWorkers: true);
        builder.Services.AddSingleton<GroupCommitWriter>();
        builder.Services.AddSingleton<IngestRateLimits>();
        builder.Services.AddSingleton<FailureThrottle>();
        builder.Services.AddSingleton<LiveStreams>();
        builder.Services.AddOptions<HttpOptions>().BindConfiguration(HttpOptions.SectionName)
            .Validate(o => o.MaxBodyBytes > 0 && o.MaxRosterBodyBytes > 0, "Http body limits must be positive.").ValidateOnStart();
        builder.Services.AddOptions<DashboardOptions>().BindConfiguration(DashboardOptions.SectionName)
            .Validate(o => o.MaxStreamsPerToken > 0, "Dashboard:MaxStreamsPerToken must be positive.")
            .Validate(o => o.AttentionYellowCells > 0 && o.InactiveMinutes > 0, "Dashboard:AttentionYellowCells and Dashboard:InactiveMinutes must be positive.").ValidateOnStart();
        builder.Services.AddSingleton<IngestBudget>();
        builder.Services.AddSingleton<Observability.JobQueueSample>();
        builder.Services.AddSingleton<Observability.ServerGauges>();
        builder.Services.AddSingleton<Observability.PrometheusExport>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<GroupCommitWriter>());
        builder.Services.AddHostedService<CatalogWatcher>();
        builder.Services.AddHostedService<Storage.Postgres.ProgressNotifications>();
        builder.Services.AddHostedService<Privacy.PurgeService>();
        builder.Services.AddHostedService<QuarantineTrimmer>();
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<StoreFailureHandler>();
        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
            json.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
        });

        var app = builder.Build();
        app.Use(Observability.MetricsEndpoint.TimeRequestAsync);
        if (forwarded is not null)
        {
            app.UseForwardedHeaders(forwarded);
        }
        app.Use(SecurityHeaders.ApplyAsync);
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
        app.MapHealthApi();
        app.MapMetricsApi();
        // Ingest checks its own limit (Ingest:MaxBodyBytes, also after gzip) once it has authenticated the key.
        app.MapIngestApi().WithMetadata(new Microsoft.AspNetCore.Mvc.DisableRequestSizeLimitAttribute());
        app.MapPlayersApi();
        app.MapProgressApi();
        app.MapAdminApi();
        app.MapJobsApi();
        app.MapCatalogApi();
        app.MapGroupsApi();
        app.MapMatrixApi();
        app.MapPrivacyApi();
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
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.SectionName).ValidateOnStart();
        services.AddOptions<IngestOptions>().BindConfiguration(IngestOptions.SectionName)
            .Validate(o => o.MaxBodyBytes > 0 && o.MaxEventsPerBatch > 0 && o.MaxEventBytes > 0 && o.QueueCapacity > 0 && o.MaxJsonDepth is > 2 and <= 256,
                "Ingest limits must be positive (MaxJsonDepth 3..256).")
            .Validate(o => o.MaxBytesInFlight > 0 && o.MaxEventsInFlight > 0, "Ingest:MaxBytesInFlight and Ingest:MaxEventsInFlight must be positive.")
            .ValidateOnStart();
        services.AddOptions<IdentityOptions>().BindConfiguration(IdentityOptions.SectionName)
            .Validate(o => o.PepperVersion is > 0 and < 1000, "Identity:PepperVersion must be 1..999.").ValidateOnStart();
        services.AddOptions<AccessOptions>().BindConfiguration(AccessOptions.SectionName)
            .Validate(o => o.OptOutRefreshSeconds > 0 && o.FailuresBeforeBackoff >= 0 && o.BackoffSeconds > 0 && o.MaxBackoffSeconds > 0 && o.FailureMemoryMinutes > 0,
                "Access:OptOutRefreshSeconds and the throttling settings must be positive (FailuresBeforeBackoff may be 0: no throttling).")
            .ValidateOnStart();
        // Background components report their failures to BackgroundHealth and retry (ResilientService); should one
        // still throw, it must not stop the host: ingest and reads go on, and /health/ready says what is failing.
        services.Configure<HostOptions>(host => host.BackgroundServiceExceptionBehavior = BackgroundServiceExceptionBehavior.Ignore);
        services.AddOptions<JobOptions>().BindConfiguration(JobOptions.SectionName)
            .Validate(o => o.Workers >= 0 && o.BatchSize > 0 && o.LeaseSeconds > 0 && o.MaxAttempts > 0 && o.RetryBaseMilliseconds > 0 && o.PollMilliseconds > 0,
                "Jobs settings must be positive (Workers may be 0).")
            .ValidateOnStart();

        var storage = configuration.GetSection(StorageOptions.SectionName).Get<StorageOptions>() ?? new StorageOptions();
        var identity = configuration.GetSection(IdentityOptions.SectionName).Get<IdentityOptions>() ?? new IdentityOptions();
        var access = configuration.GetSection(AccessOptions.SectionName).Get<AccessOptions>() ?? new AccessOptions();
        var catalogs = catalogsDirectory ?? "catalogs";

        // Secrets are resolved before the host starts so a production start fails fast and clearly.
        var (pepper, pepperOrigin) = PepperSource.Resolve(identity, storage.DataDirectory, production);
        var adminToken = access.AdminToken;
        string? generatedToken = null;
        if (string.IsNullOrWhiteSpace(adminToken))
        {
            if (production)
            {
                throw new InvalidOperationException("A production start needs an admin token: set CAIRN_ADMIN_TOKEN.");
            }
            adminToken = generatedToken = SecretHash.NewSecret("cat_");
        }
        else if (production && adminToken.Trim().Length < AccessOptions.MinProductionAdminTokenLength)
        {
            throw new InvalidOperationException(
                $"CAIRN_ADMIN_TOKEN is too short for a production start: use at least {AccessOptions.MinProductionAdminTokenLength} random characters (128 bits), e.g. 'openssl rand -base64 24'.");
        }

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<BackgroundHealth>();
        services.AddSingleton(_ => CairnConfiguration.CreateStore(storage));
        var playerKeys = new PlayerKeys(pepper, identity.PepperVersion);
        services.AddSingleton(playerKeys);
        services.AddSingleton(PlayerKeyring.From(identity, playerKeys));
        services.AddSingleton(new AdminToken(adminToken));
        if (!string.IsNullOrWhiteSpace(access.MetricsToken))
        {
            if (production && access.MetricsToken.Trim().Length < AccessOptions.MinProductionAdminTokenLength)
            {
                throw new InvalidOperationException(
                    $"CAIRN_METRICS_TOKEN is too short for a production start: use at least {AccessOptions.MinProductionAdminTokenLength} random characters (128 bits).");
            }
            services.AddSingleton(new MetricsToken(access.MetricsToken.Trim()));
        }
        services.AddMetrics();
        services.AddSingleton<Observability.CairnMetrics>();
        Observability.OtlpExport.AddIfConfigured(services,
            configuration.GetSection(Observability.MetricsOptions.SectionName).Get<Observability.MetricsOptions>() ?? new Observability.MetricsOptions());
        services.AddSingleton<ApiKeys>();
        services.AddSingleton(sp => new CatalogRegistry(catalogs, sp.GetRequiredService<ILogger<CatalogRegistry>>(), sp.GetRequiredService<Observability.CairnMetrics>()));
        services.AddSingleton(sp =>
        {
            var registry = sp.GetRequiredService<CatalogRegistry>();
            return new EventNormalizer(() => registry.Current.Schemas, sp.GetRequiredService<IOptions<IngestOptions>>().Value.DropFields);
        });
        services.AddSingleton<OptOuts>();
        services.AddSingleton(sp => new IngestPipeline(
            sp.GetRequiredService<EventNormalizer>(), sp.GetRequiredService<PlayerKeys>(),
            sp.GetRequiredService<IOptions<IngestOptions>>().Value.MaxEventBytes, sp.GetRequiredService<CatalogRegistry>(),
            sp.GetRequiredService<OptOuts>()));
        services.AddSingleton<JobSignal>();
        services.AddSingleton<ProgressFeed>();
        services.AddSingleton<MatrixReader>();
        services.AddSingleton<ClassViewReader>();
        services.AddSingleton<Sessions>();
        services.AddSingleton<Scopes>();
        services.AddSingleton<Audit>();
        services.AddSingleton<IJobHandler, ProgressMaterializer>();
        services.AddSingleton<JobRunner>();
        // Order matters: migrate, then load catalogs (which may queue recomputes), then start workers.
        services.AddHostedService<StoreMigrator>();
        services.AddHostedService<CatalogRecomputer>();
        services.AddHostedService<OptOutSync>();
        services.AddOptions<Privacy.RetentionOptions>().BindConfiguration(Privacy.RetentionOptions.SectionName)
            .Validate(o => o.Days.Values.All(d => d > 0) && o.Orgs.Values.All(l => l.Values.All(d => d > 0)) && o.PeriodHours >= 0,
                "Retention days must be positive.")
            .ValidateOnStart();
        if (withWorkers)
        {
            services.AddHostedService<JobWorker>();
        }
        var report = new StartupReport(storage, identity.PepperVersion, pepperOrigin, generatedToken);
        services.AddSingleton(report);
        return report;
    }

    /// <summary>The address the server actually listens on (after binding port 0).</summary>
    public static Uri ListeningAddress(WebApplication app)
    {
        var server = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>();
        var addresses = server.Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>();
        return new Uri(addresses!.Addresses.First());
    }
}
