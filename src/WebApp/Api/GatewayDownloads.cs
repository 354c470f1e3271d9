using Microsoft.AspNetCore.Authorization;

namespace Kim.WebApp.Api;

/// <summary>
/// Files of the services (CSV exports) streamed through the front end: the browser asks the front end, which calls the
/// gateway with the session's access token; the token never reaches the browser. Every download names the roles that
/// may fetch it, the same as the page that links to it; the service checks them again.
/// </summary>
public static class GatewayDownloads
{
    /// <summary>
    /// Maps <paramref name="pattern"/> to the gateway's file at the address <paramref name="path"/> computes from the
    /// request, for people holding any of <paramref name="roles"/>.
    /// </summary>
    public static RouteHandlerBuilder MapGatewayDownload(this IEndpointRouteBuilder app, string pattern, Func<HttpContext, string> path,
        Func<HttpContext, string> fileName, params string[] roles)
    {
        if (roles.Length == 0)
        {
            throw new ArgumentException("A download names the roles that may fetch it.", nameof(roles));
        }

        return app.MapGet(pattern, (IHttpClientFactory clients, HttpContext context, CancellationToken cancellationToken) =>
                StreamAsync(clients, context, path(context), fileName(context), cancellationToken))
            .RequireAuthorization(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().RequireRole(roles).Build());
    }

    /// <summary>
    /// Passes the gateway's answer on as a download (named as the service names it, else <paramref name="fallbackName"/>);
    /// a refusal becomes a problem without the service's details, and its response is released at once.
    /// </summary>
    public static async Task<IResult> StreamAsync(IHttpClientFactory clients, HttpContext context, string path, string fallbackName, CancellationToken cancellationToken)
    {
        var response = await clients.CreateClient(GatewayClients.HttpClientName).GetAsync(path, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var status = (int)response.StatusCode;
            response.Dispose();
            return Results.Problem(statusCode: status, title: "Datei nicht verfügbar",
                detail: "Die Datei konnte nicht geladen werden, oder Sie haben keinen Zugriff darauf.");
        }

        context.Response.RegisterForDispose(response);
        var disposition = response.Content.Headers.ContentDisposition;
        var fileName = disposition?.FileNameStar ?? disposition?.FileName?.Trim('"') ?? fallbackName;
        var contentType = response.Content.Headers.ContentType?.ToString() ?? "text/csv; charset=utf-8";
        return Results.Stream(await response.Content.ReadAsStreamAsync(cancellationToken), contentType, fileName);
    }
}
