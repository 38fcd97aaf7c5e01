using Cairn.Catalogs;
using Cairn.Identity;
using Microsoft.Extensions.Options;

namespace Cairn.Ingest;

/// <summary>Ingest: the pipeline (shared by the server and the importer's shape), and the HTTP side of a serving process.</summary>
internal static class IngestFeature
{
    /// <summary>Ingest limits, the normalizer and the pipeline.</summary>
    public static IServiceCollection AddIngest(this IServiceCollection services)
    {
        services.AddOptions<IngestOptions>().BindConfiguration(IngestOptions.SectionName)
            .Validate(o => o.MaxBodyBytes > 0 && o.MaxEventsPerBatch > 0 && o.MaxEventBytes > 0 && o.QueueCapacity > 0 && o.MaxJsonDepth is > 2 and <= 256,
                "Ingest limits must be positive (MaxJsonDepth 3..256).")
            .Validate(o => o.MaxBytesInFlight > 0 && o.MaxEventsInFlight > 0, "Ingest:MaxBytesInFlight and Ingest:MaxEventsInFlight must be positive.")
            .Validate(o => string.IsNullOrEmpty(o.GeoIpDatabase) || GeoIp.CountryLookup.CanOpen(o.GeoIpDatabase),
                "Ingest:GeoIpDatabase must name a readable MaxMind database (.mmdb).")
            .ValidateOnStart();
        services.AddSingleton<GeoIp.CountryLookup>();
        services.AddSingleton(sp =>
        {
            var registry = sp.GetRequiredService<CatalogRegistry>();
            // Quoted values are coerced per the catalogs' eventTypes and, for the rest, the JSON Schemas' property types.
            var types = new Schemas.CoercionTypes(registry, sp.GetService<Schemas.EventSchemaRegistry>());
            return new EventNormalizer(types.Current, sp.GetRequiredService<IOptions<IngestOptions>>().Value.DropFields);
        });
        services.AddSingleton(sp => new IngestPipeline(
            sp.GetRequiredService<EventNormalizer>(), sp.GetRequiredService<PlayerKeys>(),
            sp.GetRequiredService<IOptions<IngestOptions>>().Value.MaxEventBytes, sp.GetRequiredService<CatalogRegistry>(),
            sp.GetRequiredService<Access.OptOuts>(), sp.GetRequiredService<Projections.ProjectionSet>(),
            sp.GetService<Schemas.EventSchemaRegistry>(), sp.GetService<Consent.ConsentCategories>()));
        return services;
    }

    /// <summary>What a serving process adds: the group-commit writer, admission (rate limits, bytes and events in flight), the quarantine trim.</summary>
    public static IServiceCollection AddIngestApi(this IServiceCollection services)
    {
        services.AddSingleton<GroupCommitWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<GroupCommitWriter>());
        services.AddSingleton<IngestRateLimits>();
        services.AddSingleton<IngestBudget>();
        services.AddSingleton<BatchIngestor>();
        services.AddOptions<WebSockets.WebSocketIngestOptions>().BindConfiguration(WebSockets.WebSocketIngestOptions.SectionName)
            .Validate(o => o.HelloSeconds > 0 && o.PingSeconds > 0 && o.PongTimeoutSeconds > 0 && o.MaxMessageBytes > 0
                && o.MaxInFlightPerConnection > 0 && o.MaxConnections > 0, "Ingest:WebSocket limits must be positive.")
            .ValidateOnStart();
        services.AddSingleton<WebSockets.AnalyticsSockets>();
        services.AddHostedService<QuarantineTrimmer>();
        // LMS events keep class rosters (Orgs:{org}:AutoCreateClasses).
        services.AddOptions<Groups.OrgsOptions>().Configure<IConfiguration>((o, c) => c.GetSection(Groups.OrgsOptions.SectionName).Bind(o.Orgs));
        // So that IOptionsMonitor sees a changed orgs.json (cairn orgs set) without a restart.
        services.AddSingleton<IOptionsChangeTokenSource<Groups.OrgsOptions>>(sp =>
            new ConfigurationChangeTokenSource<Groups.OrgsOptions>(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton<Groups.ClassRosters>();
        return services;
    }
}
