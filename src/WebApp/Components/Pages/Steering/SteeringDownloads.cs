using Kim.WebApp.Api;

namespace Kim.WebApp.Components.Pages.Steering;

/// <summary>
/// The steering group's CSV files (the resolution register, the votes of one motion), streamed through the front end:
/// the access token stays on the server.
/// </summary>
public static class SteeringDownloads
{
    public static void MapSteeringDownloads(this WebApplication app)
    {
        app.MapGet("/lenkungsgruppe/beschluesse.csv", (IHttpClientFactory clients, HttpContext context, CancellationToken cancellationToken) =>
            StreamAsync(clients, context, "api/network/steering/resolutions/votes.csv", "beschlussregister.csv", cancellationToken)).RequireAuthorization();
        app.MapGet("/lenkungsgruppe/antraege/{id:guid}/stimmen.csv", (Guid id, IHttpClientFactory clients, HttpContext context, CancellationToken cancellationToken) =>
            StreamAsync(clients, context, $"api/network/steering/motions/{id}/votes.csv", $"stimmen-{id}.csv", cancellationToken)).RequireAuthorization();
    }

    private static async Task<IResult> StreamAsync(IHttpClientFactory clients, HttpContext context, string path, string fallbackName, CancellationToken cancellationToken)
    {
        var http = clients.CreateClient(GatewayClients.HttpClientName);
        var response = await http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var status = (int)response.StatusCode;
            response.Dispose();
            return Results.Problem(statusCode: status, title: "Datei nicht verfügbar",
                detail: "Die Datei wurde nicht gefunden, oder Sie haben keinen Zugriff darauf.");
        }

        context.Response.RegisterForDispose(response);
        var fileName = response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName?.Trim('"') ?? fallbackName;
        return Results.Stream(await response.Content.ReadAsStreamAsync(cancellationToken), "text/csv; charset=utf-8", fileName);
    }
}
