namespace Cairn.Schemas;

/// <summary>The schema registry: loaded when first needed (the pipeline, at start), and, when serving, watched.</summary>
internal static class SchemasFeature
{
    /// <param name="catalogsDirectory">The catalogs directory in use: the schemas default to <c>schemas</c> beside it.</param>
    public static IServiceCollection AddSchemas(this IServiceCollection services, IConfiguration configuration, string catalogsDirectory)
    {
        var options = configuration.GetSection(SchemaOptions.SectionName).Get<SchemaOptions>() ?? new SchemaOptions();
        var directory = string.IsNullOrWhiteSpace(options.Directory) ? SchemaOptions.DefaultFor(catalogsDirectory) : options.Directory;
        services.AddSingleton(sp =>
        {
            var registry = new EventSchemaRegistry(directory, sp.GetRequiredService<ILogger<EventSchemaRegistry>>(), options.Taxonomy);
            registry.Reload();
            return registry;
        });
        return services;
    }

    /// <summary>A serving process reloads the schemas when a file changes.</summary>
    public static IServiceCollection AddSchemaWatcher(this IServiceCollection services) => services.AddHostedService<SchemaWatcher>();
}
