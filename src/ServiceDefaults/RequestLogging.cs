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
/// </summary>
public static class RequestLogging
{
    /// <summary>Categories that log a request's full URL at Information: ASP.NET Core's "Request starting/finished", YARP's "Proxying to".</summary>
    public static readonly IReadOnlyList<string> FullUrlCategories =
        ["Microsoft.AspNetCore.Hosting.Diagnostics", "Yarp.ReverseProxy.Forwarder.HttpForwarder"];

    public static TBuilder AddRequestLogging<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        foreach (var category in FullUrlCategories)
        {
            builder.Logging.AddFilter(category, LogLevel.Warning);
        }

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
