using Kim.ServiceDefaults.Security;
using Kim.WebApp.Api;

namespace Kim.WebApp.Components.Pages.Steering;

/// <summary>
/// The steering group's CSV files (the resolution register, the votes of one motion), streamed through the front end
/// (<see cref="GatewayDownloads"/>): the access token stays on the server.
/// </summary>
public static class SteeringDownloads
{
    public static void MapSteeringDownloads(this WebApplication app)
    {
        // Like the steering pages: the coordination keeps the steering group, its members read it.
        app.MapGatewayDownload("/lenkungsgruppe/beschluesse.csv", _ => "api/network/steering/resolutions/votes.csv", _ => "beschlussregister.csv",
            KimRoles.Coordinator, KimRoles.SteeringMember);
        app.MapGatewayDownload("/lenkungsgruppe/antraege/{id:guid}/stimmen.csv", context => $"api/network/steering/motions/{Id(context)}/votes.csv",
            context => $"stimmen-{Id(context)}.csv", KimRoles.Coordinator, KimRoles.SteeringMember);
    }

    private static Guid Id(HttpContext context) => Guid.Parse((string)context.Request.RouteValues["id"]!, System.Globalization.CultureInfo.InvariantCulture);
}
