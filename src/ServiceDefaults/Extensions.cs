using Kim.ServiceDefaults.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Kim.ServiceDefaults;

/// <summary>
/// What every KIM process gets: OpenTelemetry, health checks, service discovery, HttpClient resilience,
/// problem details and bearer authentication. Services call <see cref="AddServiceDefaults{TBuilder}"/> once.
/// </summary>
public static class Extensions
{
    public const string HealthEndpointPath = "/health";
    public const string AlivenessEndpointPath = "/alive";
    public const string ReadyTag = "ready";
    public const string LiveTag = "live";

    /// <summary>The activity source of our own spans (outbox dispatch, consumers).</summary>
    public const string ActivitySourceName = "Kim";

    /// <summary>The meter of our own metrics.</summary>
    public const string MeterName = "Kim";

    /// <summary>Titles of problems no endpoint wrote itself (status code pages, framework refusals).</summary>
    private static readonly Dictionary<int, string> GermanTitles = new()
    {
        [StatusCodes.Status400BadRequest] = "Ungültige Anfrage",
        [StatusCodes.Status405MethodNotAllowed] = "Methode nicht erlaubt",
        [StatusCodes.Status406NotAcceptable] = "Antwortformat nicht verfügbar",
        [StatusCodes.Status409Conflict] = "Konflikt",
        [StatusCodes.Status412PreconditionFailed] = "Voraussetzung nicht erfüllt",
        [StatusCodes.Status413PayloadTooLarge] = "Anfrage zu groß",
        [StatusCodes.Status415UnsupportedMediaType] = "Format nicht unterstützt",
        [StatusCodes.Status429TooManyRequests] = "Zu viele Anfragen",
        [StatusCodes.Status500InternalServerError] = "Interner Fehler",
        [StatusCodes.Status503ServiceUnavailable] = "Dienst nicht verfügbar",
    };

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.AddHostDefaults();
        builder.Services.AddProblemDetails(options =>
            options.CustomizeProblemDetails = context =>
            {
                context.ProblemDetails.Extensions.TryAdd("traceId", System.Diagnostics.Activity.Current?.TraceId.ToString());
                // Refusals by authentication and authorisation (no endpoint wrote a body) get our types and German titles.
                var generic = context.ProblemDetails.Type is null || context.ProblemDetails.Type.StartsWith("https://tools.ietf.org/", StringComparison.Ordinal);
                if (generic && context.ProblemDetails.Status == StatusCodes.Status401Unauthorized)
                {
                    context.ProblemDetails.Type = ProblemTypes.Unauthenticated;
                    context.ProblemDetails.Title = "Anmeldung erforderlich";
                }
                else if (generic && context.ProblemDetails.Status == StatusCodes.Status403Forbidden)
                {
                    context.ProblemDetails.Type = ProblemTypes.Forbidden;
                    context.ProblemDetails.Title = "Keine Berechtigung";
                }
                else if (generic && context.ProblemDetails.Status == StatusCodes.Status404NotFound)
                {
                    // No route matched, or an endpoint answered 404 without a body.
                    context.ProblemDetails.Type = ProblemTypes.NotFound;
                    context.ProblemDetails.Title = "Nicht gefunden";
                    context.ProblemDetails.Detail ??= "Die angefragte Adresse oder der Datensatz existiert nicht.";
                }
                else if (generic && GermanTitles.TryGetValue(context.ProblemDetails.Status ?? 0, out var title))
                {
                    context.ProblemDetails.Title = title;
                }
            });
        builder.AddKimAuthentication();
        return builder;
    }

    /// <summary>
    /// What a process needs that is not an API (the web front end): telemetry, request logs without query strings,
    /// health, service discovery, resilience.
    /// </summary>
    public static TBuilder AddHostDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        // Every query at Information ("Executed DbCommand"), the outbox's poll each second included, would fill the logs.
        builder.AddDefaultLogLevel(EntityFrameworkCommandCategory, LogLevel.Warning);
        builder.ConfigureOpenTelemetry();
        builder.AddRequestLogging();
        builder.AddDefaultHealthChecks();
        builder.Services.AddTransient<Microsoft.AspNetCore.Hosting.IStartupFilter, Utf8OnlyStartupFilter>();
        // No Server header: it only tells an attacker which server to look up.
        builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(kestrel => kestrel.AddServerHeader = false);
        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });
        return builder;
    }

    /// <summary>EF Core's log of every command it runs.</summary>
    public const string EntityFrameworkCommandCategory = "Microsoft.EntityFrameworkCore.Database.Command";

    /// <summary>
    /// Logs <paramref name="category"/> (and its sub-categories) from <paramref name="level"/> on, unless configuration sets
    /// its level itself (<c>Logging:LogLevel:&lt;category&gt;</c>, e.g. to see every SQL command while debugging).
    /// </summary>
    public static IHostApplicationBuilder AddDefaultLogLevel(this IHostApplicationBuilder builder, string category, LogLevel level)
    {
        if (builder.Configuration[$"Logging:LogLevel:{category}"] is null)
        {
            builder.Logging.AddFilter(category, level);
        }

        return builder;
    }

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(MeterName, "MassTransit"))
            .WithTracing(tracing => tracing
                .AddSource(builder.Environment.ApplicationName, ActivitySourceName, "MassTransit", "Yarp.ReverseProxy")
                .AddAspNetCoreInstrumentation(options =>
                    // Probes would drown the traces people look for.
                    options.Filter = context =>
                        !context.Request.Path.StartsWithSegments(HealthEndpointPath)
                        && !context.Request.Path.StartsWithSegments(AlivenessEndpointPath))
                .AddHttpClientInstrumentation());

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }

        return builder;
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);
        return builder;
    }

    /// <summary>
    /// <c>/health</c>: ready (database, broker and every check tagged <c>ready</c>); <c>/alive</c>: the process answers.
    /// Both are mapped in every environment for orchestrator probes and answer only a status word.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks(HealthEndpointPath, new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag) || check.Tags.Contains(LiveTag),
            // Degraded (e.g. the bus reconnecting to the broker) is not ready either: take the instance out of rotation.
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status503ServiceUnavailable,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
        }).AllowAnonymous();
        app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(LiveTag),
        }).AllowAnonymous();
        return app;
    }
}
