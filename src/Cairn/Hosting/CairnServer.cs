using System.Text.Json.Serialization;
using Cairn.Access;
using Cairn.Catalogs;
using Cairn.Identity;
using Cairn.Ingest;
using Cairn.Players;
using Cairn.Storage;
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
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = null); // Ingest enforces its own limit.

        var services = builder.Services;
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.SectionName).ValidateOnStart();
        services.AddOptions<IngestOptions>().BindConfiguration(IngestOptions.SectionName)
            .Validate(o => o.MaxBodyBytes > 0 && o.MaxEventsPerBatch > 0 && o.MaxEventBytes > 0 && o.QueueCapacity > 0 && o.MaxJsonDepth is > 2 and <= 256,
                "Ingest limits must be positive (MaxJsonDepth 3..256).")
            .ValidateOnStart();
        services.AddOptions<IdentityOptions>().BindConfiguration(IdentityOptions.SectionName)
            .Validate(o => o.PepperVersion is > 0 and < 1000, "Identity:PepperVersion must be 1..999.").ValidateOnStart();
        services.AddOptions<AccessOptions>().BindConfiguration(AccessOptions.SectionName).ValidateOnStart();

        var storage = builder.Configuration.GetSection(StorageOptions.SectionName).Get<StorageOptions>() ?? new StorageOptions();
        var identity = builder.Configuration.GetSection(IdentityOptions.SectionName).Get<IdentityOptions>() ?? new IdentityOptions();
        var access = builder.Configuration.GetSection(AccessOptions.SectionName).Get<AccessOptions>() ?? new AccessOptions();
        var catalogs = settings.CatalogsDirectory ?? "catalogs";

        // Secrets are resolved before the host starts so a production start fails fast and clearly.
        var (pepper, pepperOrigin) = PepperSource.Resolve(identity, storage.DataDirectory, settings.Production);
        var adminToken = access.AdminToken;
        var generatedToken = false;
        if (string.IsNullOrWhiteSpace(adminToken))
        {
            if (settings.Production)
            {
                throw new InvalidOperationException("A production start needs an admin token: set CAIRN_ADMIN_TOKEN.");
            }
            adminToken = SecretHash.NewSecret("cat_");
            generatedToken = true;
        }

        services.AddSingleton(_ => CairnConfiguration.CreateStore(storage));
        services.AddSingleton(new PlayerKeys(pepper, identity.PepperVersion));
        services.AddSingleton(new AdminToken(adminToken));
        services.AddSingleton<ApiKeys>();
        services.AddSingleton(CatalogLoader.LoadDirectory(catalogs));
        services.AddSingleton(sp => new EventNormalizer(sp.GetRequiredService<EventSchemas>(), sp.GetRequiredService<IOptions<IngestOptions>>().Value.DropFields));
        services.AddSingleton(sp => new IngestPipeline(
            sp.GetRequiredService<EventNormalizer>(), sp.GetRequiredService<PlayerKeys>(), sp.GetRequiredService<IOptions<IngestOptions>>().Value.MaxEventBytes));
        services.AddHostedService<StoreMigrator>();
        services.AddSingleton<GroupCommitWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<GroupCommitWriter>());
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
            json.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
        });

        var app = builder.Build();
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            // A malformed request (bad framing, aborted body) is the client's error, never a 500.
            StatusCodeSelector = ex => ex is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
        });
        app.UseStatusCodePages();
        app.MapHealthApi();
        app.MapIngestApi();
        app.MapPlayersApi();
        app.MapAdminApi();

        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Cairn");
        Log.StoreOpened(logger, storage.Store, storage.Store == "sqlite" ? Path.GetFullPath(storage.SqlitePath) : "(connection string)");
        Log.PepperFrom(logger, pepperOrigin, identity.PepperVersion);
        Log.CatalogsLoaded(logger, app.Services.GetRequiredService<EventSchemas>().Count, Path.GetFullPath(catalogs));
        if (generatedToken)
        {
            Log.AdminTokenGenerated(logger);
            console.WriteLine($"Admin token for this run (set CAIRN_ADMIN_TOKEN to choose one): {adminToken}");
        }
        return app;
    }

    /// <summary>The address the server actually listens on (after binding port 0).</summary>
    public static Uri ListeningAddress(WebApplication app)
    {
        var server = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>();
        var addresses = server.Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>();
        return new Uri(addresses!.Addresses.First());
    }
}
