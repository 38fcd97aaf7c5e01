using Cairn.Access;
using Cairn.Storage;
using Microsoft.AspNetCore.Diagnostics;

namespace Cairn.Hosting;

/// <summary>
/// Any endpoint that meets an unavailable store (stopped, unreachable, full, read-only) answers 503 with Retry-After,
/// never 500: the client can tell "retry later" from a bug, and nothing of the request was done.
/// </summary>
internal sealed class StoreFailureHandler(ILogger<StoreFailureHandler> logger) : IExceptionHandler
{
    /// <summary>Seconds a client is asked to wait: about the time a restarted database needs to accept connections.</summary>
    public const int RetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!StoreFailures.IsUnavailable(exception) || httpContext.Response.HasStarted)
        {
            return false;
        }
        // The type and the store's code only: a driver's message may quote values of the statement.
        Log.StoreUnavailable(logger, httpContext.Request.Method, httpContext.GetEndpoint()?.DisplayName ?? httpContext.Request.Path.Value ?? "",
            Describe(exception));
        var problem = Problems.Unavailable(httpContext, RetryAfterSeconds,
            "The store is unavailable; nothing was changed by this request. Retry after the Retry-After delay.");
        await problem.ExecuteAsync(httpContext);
        return true;
    }

    private static string Describe(Exception exception)
    {
        var inner = exception;
        while (inner is StoreUnavailableException { InnerException: { } wrapped })
        {
            inner = wrapped;
        }
        return inner switch
        {
            Npgsql.PostgresException postgres => $"PostgreSQL {postgres.SqlState}",
            Microsoft.Data.Sqlite.SqliteException sqlite => $"SQLite error {sqlite.SqliteErrorCode}",
            _ => inner.GetType().Name,
        };
    }
}
