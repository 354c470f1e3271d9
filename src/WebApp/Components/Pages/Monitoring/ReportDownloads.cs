using Kim.ServiceDefaults.Security;
using Kim.WebApp.Api;

namespace Kim.WebApp.Components.Pages.Monitoring;

/// <summary>
/// The CSV exports of the ReportingService, streamed through the front end: the browser asks the front end, which calls
/// the gateway with the session's access token; the token never reaches the browser.
/// </summary>
public static class ReportDownloads
{
    public static void MapReportDownloads(this WebApplication app)
    {
        app.MapGet("/monitoring/engpaesse.csv", (IHttpClientFactory clients, HttpContext context, CancellationToken cancellationToken) =>
            StreamAsync(clients, context, "api/reports/referrals/bottlenecks.csv", "engpaesse.csv", cancellationToken)).RequireAuthorization(policy => policy.RequireRole(KimRoles.Coordinator));
        app.MapGet("/monitoring/fallarbeit.csv", (IHttpClientFactory clients, HttpContext context, CancellationToken cancellationToken) =>
            StreamAsync(clients, context, "api/reports/case-work.csv", "fallarbeit.csv", cancellationToken)).RequireAuthorization(policy => policy.RequireRole(KimRoles.Coordinator));
        app.MapGet("/land/kreuztabelle.csv", (IHttpClientFactory clients, HttpContext context, string? zeitraum, string? frage, string? spalten, string? teilgruppe, CancellationToken cancellationToken) =>
        {
            var query = QueryString.Create(new Dictionary<string, string?> { ["period"] = zeitraum, ["row"] = frage, ["column"] = spalten, ["where"] = teilgruppe }
                .Where(p => !string.IsNullOrEmpty(p.Value)));
            return StreamAsync(clients, context, "api/state/crosstab.csv" + query, "kreuztabelle.csv", cancellationToken);
        }).RequireAuthorization(policy => policy.RequireRole(KimRoles.StateReporter));
    }

    /// <summary>Passes the API's answer on as a download; a refusal becomes a problem without the API's details.</summary>
    public static async Task<IResult> StreamAsync(IHttpClientFactory clients, HttpContext context, string path, string fileName, CancellationToken cancellationToken)
    {
        var response = await clients.CreateClient(GatewayClients.HttpClientName).GetAsync(path, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        context.Response.RegisterForDispose(response);
        if (!response.IsSuccessStatusCode)
        {
            return Results.Problem(statusCode: (int)response.StatusCode, title: "Export nicht verfügbar", detail: "Die Auswertung konnte nicht geladen werden, oder Sie haben keinen Zugriff darauf.");
        }

        var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        return Results.Stream(stream, response.Content.Headers.ContentType?.ToString() ?? "text/csv; charset=utf-8", fileName);
    }
}
