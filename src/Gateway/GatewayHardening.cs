using System.Collections.Frozen;
using System.Globalization;
using System.Threading.RateLimiting;
using Kim.ServiceDefaults;
using Kim.ServiceDefaults.Security;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Net.Http.Headers;
using Yarp.ReverseProxy.Transforms;

namespace Kim.Gateway;

/// <summary>Rate limits, size limits, identity-header stripping, security headers and CORS of the gateway.</summary>
public static class GatewayHardening
{
    public const string CorsPolicy = "kim-cors";

    /// <summary>
    /// Request headers a client might send to claim an identity or tenant. Services trust only the validated
    /// token, and the gateway removes these before forwarding anyway (OWASP ASVS 5.0, 4.1.3).
    /// </summary>
    private static readonly string[] IdentityHeaderPrefixes =
        ["X-Tenant", "X-User", "X-Role", "X-Kim-", "X-Forwarded-User", "X-Forwarded-Email", "X-Remote-User", "Remote-User", "X-Auth-", "X-Client-Cert", "X-Ms-Client-Principal"];

    public static bool IsIdentityHeader(string name)
    {
        foreach (var prefix in IdentityHeaderPrefixes)
        {
            if (name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Removes the identity headers a client sent from the forwarded request. The proxied request's headers are a copy
    /// of the client's, so the client's own (cheap to walk) are searched, and nothing is allocated when none is found.
    /// </summary>
    public static void RemoveIdentityHeaders(IHeaderDictionary sent, System.Net.Http.Headers.HttpRequestHeaders forwarded)
    {
        foreach (var header in sent)
        {
            if (IsIdentityHeader(header.Key))
            {
                forwarded.Remove(header.Key);
            }
        }
    }

    public static void AddGatewayHardening(this IHostApplicationBuilder builder, IReverseProxyBuilder proxy)
    {
        var options = builder.Configuration.GetSection(GatewayOptions.SectionName).Get<GatewayOptions>() ?? new GatewayOptions();
        builder.Services.AddOptions<GatewayOptions>().BindConfiguration(GatewayOptions.SectionName);
        // The security headers come first of all, so every answer carries them: also the 415 of the charset check
        // (a filter of the service defaults, ahead of the application's own middleware) and every other refusal.
        builder.Services.Insert(0, ServiceDescriptor.Transient<IStartupFilter, SecurityHeadersFirst>());
        builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
            kestrel.Limits.MaxRequestHeadersTotalSize = options.MaxRequestHeadersBytes;
            kestrel.AddServerHeader = false;
        });

        proxy.AddTransforms(transforms =>
        {
            transforms.AddRequestTransform(context =>
            {
                RemoveIdentityHeaders(context.HttpContext.Request.Headers, context.ProxyRequest.Headers);
                return ValueTask.CompletedTask;
            });
            // A service behind the gateway does not name its server either.
            transforms.AddResponseHeaderRemove(HeaderNames.Server, ResponseCondition.Always);
        });

        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(context => Partition(context, "user", KimClaims.Subject, options.PermitsPerUser, options)),
                PartitionedRateLimiter.Create<HttpContext, string>(context => Partition(context, "tenant", KimClaims.Tenant, options.PermitsPerTenant, options)));
            limiter.OnRejected = async (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : options.Window;
                var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
                context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                SecurityEvents.Record(context.HttpContext, SecurityEvents.RateLimited, SecurityEvents.RateLimit);
                await TypedResults.Problem(
                    statusCode: StatusCodes.Status429TooManyRequests,
                    title: "Zu viele Anfragen",
                    detail: $"Versuchen Sie es in {seconds} s erneut.",
                    type: ProblemTypes.TooManyRequests).ExecuteAsync(context.HttpContext);
            };
        });

        builder.Services.AddCors(cors => cors.AddPolicy(CorsPolicy, policy =>
        {
            if (options.AllowedOrigins.Count > 0)
            {
                policy.WithOrigins([.. options.AllowedOrigins]).AllowAnyHeader().WithMethods("GET", "POST", "PUT", "PATCH", "DELETE");
            }
        }));
        builder.Services.AddHsts(hsts =>
        {
            hsts.MaxAge = TimeSpan.FromDays(365);
            hsts.IncludeSubDomains = true;
        });
    }

    /// <summary>
    /// A partition per user and one per tenant for requests with a validated token; anonymous requests share a
    /// partition per client address in the user limiter and are not limited per tenant.
    /// </summary>
    private static RateLimitPartition<string> Partition(HttpContext context, string kind, string claim, int permits, GatewayOptions options)
    {
        var authenticated = context.User.Identity?.IsAuthenticated == true;
        var value = authenticated ? context.User.FindFirst(claim)?.Value : null;
        if (value is null)
        {
            if (kind == "tenant")
            {
                return RateLimitPartition.GetNoLimiter("none");
            }

            if (!context.Request.Path.StartsWithSegments("/api") && !context.Request.Path.StartsWithSegments("/identity")
                && !context.Request.Path.StartsWithSegments("/openapi"))
            {
                // The web front end's pages: a whole office may share one address; its API calls count per person.
                return RateLimitPartition.GetNoLimiter("web");
            }

            var client = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
            return RateLimitPartition.GetFixedWindowLimiter("anonymous:" + client, _ => Window(options.PermitsPerAnonymousClient, options));
        }

        return RateLimitPartition.GetFixedWindowLimiter($"{kind}:{value}", _ => Window(permits, options));
    }

    private static FixedWindowRateLimiterOptions Window(int permits, GatewayOptions options) => new()
    {
        PermitLimit = permits,
        Window = options.Window,
        QueueLimit = 0,
    };

    /// <summary>
    /// Refuses a declared body above the limit before anything is read or forwarded. A document upload (to the
    /// CaseService's <c>.../documents</c> or the front end's <c>/faelle/{id}/dokumente</c>) may be as large as
    /// <paramref name="maxDocumentBytes"/>; the CaseService checks the file itself.
    /// </summary>
    public static IApplicationBuilder UseBodySizeLimit(this IApplicationBuilder app, long maxBytes, long maxDocumentBytes) => app.Use(async (context, next) =>
    {
        if (IsDocumentUpload(context.Request) && context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxDocumentBytes;
            maxBytes = maxDocumentBytes;
        }

        if (context.Request.ContentLength > maxBytes)
        {
            await TypedResults.Problem(
                statusCode: StatusCodes.Status413PayloadTooLarge,
                title: "Anfrage zu groß",
                detail: $"Der Inhalt der Anfrage darf höchstens {maxBytes} Bytes groß sein.",
                type: ProblemTypes.PayloadTooLarge).ExecuteAsync(context);
            return;
        }

        await next();
    });

    /// <summary>The methods the platform serves; <c>CONNECT</c>, <c>TRACE</c> and anything else get 405 and never reach a service.</summary>
    public static readonly IReadOnlyList<string> AllowedMethods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

    private static readonly FrozenSet<string> AllowedMethodSet = AllowedMethods.ToFrozenSet(StringComparer.Ordinal);

    public static IApplicationBuilder UseKnownMethodsOnly(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (!AllowedMethodSet.Contains(context.Request.Method))
        {
            context.Response.Headers.Allow = string.Join(", ", AllowedMethods);
            await TypedResults.Problem(
                statusCode: StatusCodes.Status405MethodNotAllowed,
                title: "Methode nicht erlaubt",
                detail: $"Erlaubt sind {string.Join(", ", AllowedMethods)}.",
                type: ProblemTypes.MethodNotAllowed).ExecuteAsync(context);
            return;
        }

        await next();
    });

    /// <summary>A POST of a document: <c>/api/tenants/{t}/cases/{id}/documents</c> or <c>/faelle/{id}/dokumente</c>.</summary>
    public static bool IsDocumentUpload(HttpRequest request)
    {
        if (!HttpMethods.IsPost(request.Method) || request.Path.Value is not { } path)
        {
            return false;
        }

        var segments = path.Trim('/').Split('/');
        return segments is ["api", "tenants", _, "cases", _, "documents"] or ["faelle", _, "dokumente"];
    }

    private sealed class SecurityHeadersFirst : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.UseSecurityHeaders();
            next(app);
        };
    }

    /// <summary>Response headers for an API that carries social data: no sniffing, no framing, no caching, no referrer.</summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            // A page of a proxied service (the sign-in pages) brings its own policy; everything else gets none at all.
            if (string.IsNullOrEmpty(headers.ContentSecurityPolicy))
            {
                headers.ContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";
            }

            headers["Cross-Origin-Resource-Policy"] = "same-origin";
            if (context.Request.Path.StartsWithSegments("/api"))
            {
                headers.CacheControl = "no-store";
            }

            return Task.CompletedTask;
        });
        await next();
    });
}
