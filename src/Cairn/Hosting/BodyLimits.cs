using System.Globalization;
using Cairn.Access;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;

namespace Cairn.Hosting;

/// <summary>
/// Request body limits. Kestrel enforces <see cref="HttpOptions.MaxBodyBytes"/> on every request; an endpoint that needs
/// another limit says so with <see cref="IRequestSizeLimitMetadata"/> (a roster upload: larger; ingest: its own check).
/// </summary>
internal static class BodyLimits
{
    /// <summary>
    /// Middleware (after authentication): applies the endpoint's limit, and answers a declared Content-Length over it
    /// with a 413 that says the limit, before anything reads the body. A chunked body over the limit fails when read (413 too).
    /// </summary>
    public static async Task EnforceAsync(HttpContext http, RequestDelegate next)
    {
        var feature = http.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (feature is { IsReadOnly: false } && http.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>() is { } metadata)
        {
            feature.MaxRequestBodySize = metadata.MaxRequestBodySize;
        }
        if (feature?.MaxRequestBodySize is { } limit && http.Request.ContentLength > limit)
        {
            await Problems.TooLarge(string.Create(CultureInfo.InvariantCulture,
                $"The body is {http.Request.ContentLength} bytes; this endpoint takes at most {limit}.")).ExecuteAsync(http);
            return;
        }
        await next(http);
    }
}
