using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.HttpLogging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Kim.ServiceDefaults;

/// <summary>
/// No request URL with its query string reaches a log: queries carry searched names (<c>familyName=</c>) and tokens
/// (<c>access_token=</c>). The framework's request logs that write the whole URL are raised to Warning, and every
/// request is logged once with method, path, status and duration instead. Traces keep the query redacted by the
/// OpenTelemetry instrumentation (values become <c>Redacted</c>), outgoing HTTP client logs by .NET (<c>?*</c>).
/// <para>
/// That one line is all a handled request logs at Information: the framework's other per-request lines (endpoint
/// executing and executed, result written, authentication challenged, authorisation failed, CORS, static files) and
/// the four lines of every outgoing HTTP call start at Warning (<see cref="PerRequestCategories"/>); the spans of the
/// trace carry the same facts. Configuration can lower them again (<c>Logging:LogLevel:Microsoft.AspNetCore</c>).
/// </para>
/// </summary>
public static class RequestLogging
{
    /// <summary>Categories that log a request's full URL at Information: ASP.NET Core's "Request starting/finished", YARP's "Proxying to".</summary>
    public static readonly IReadOnlyList<string> FullUrlCategories =
        ["Microsoft.AspNetCore.Hosting.Diagnostics", "Yarp.ReverseProxy.Forwarder.HttpForwarder"];

    /// <summary>Categories that log several lines per request or outgoing call at Information; Warning unless configured.</summary>
    public static readonly IReadOnlyList<string> PerRequestCategories = ["Microsoft.AspNetCore", "System.Net.Http.HttpClient"];

    /// <summary>The one line per request (method, path, status, duration).</summary>
    public const string RequestLogCategory = "Microsoft.AspNetCore.HttpLogging.HttpLoggingMiddleware";

    public static TBuilder AddRequestLogging<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        foreach (var category in FullUrlCategories)
        {
            builder.Logging.AddFilter(category, LogLevel.Warning);
        }

        foreach (var category in PerRequestCategories)
        {
            builder.AddDefaultLogLevel(category, LogLevel.Warning);
        }

        builder.AddDefaultLogLevel(RequestLogCategory, LogLevel.Information);

        builder.Services.AddHttpLogging(options =>
        {
            options.LoggingFields = HttpLoggingFields.RequestMethod | HttpLoggingFields.RequestPath
                | HttpLoggingFields.ResponseStatusCode | HttpLoggingFields.Duration;
            options.CombineLogs = true;
        });
        builder.Services.AddTransient<IStartupFilter, RequestLoggingStartupFilter>();
        return builder;
    }

    /// <summary>Puts the request log first, so it sees every request and the status the pipeline answered.</summary>
    private sealed class RequestLoggingStartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.UseHttpLogging();
            next(app);
        };
    }
}
