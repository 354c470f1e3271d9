using Microsoft.AspNetCore.HttpLogging;

namespace Kim.Gateway;

/// <summary>
/// The gateway writes its one request line (<see cref="Kim.ServiceDefaults.RequestLogging"/>) only for answers with an
/// error status: requests it refused or answered itself (401, 403, 404, 413, 429 ...) and forwarded requests that a
/// service failed or that never reached one (502, 504). A forwarded request that succeeded is logged once, by the
/// service that answered it, and the trace links both hops. Writing a console line took about a quarter of the
/// gateway's CPU per request (bench/gateway.sh).
/// </summary>
internal sealed class GatewayRequestLog : IHttpLoggingInterceptor
{
    public ValueTask OnRequestAsync(HttpLoggingInterceptorContext logContext) => ValueTask.CompletedTask;

    public ValueTask OnResponseAsync(HttpLoggingInterceptorContext logContext)
    {
        if (logContext.HttpContext.Response.StatusCode < StatusCodes.Status400BadRequest)
        {
            // The request's method and path wait in the parameters to be written with the response: drop them too.
            logContext.LoggingFields = HttpLoggingFields.None;
            logContext.Parameters.Clear();
        }

        return ValueTask.CompletedTask;
    }
}
