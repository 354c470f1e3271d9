using Kim.ServiceDefaults.Security;
using Kim.WebApp.Api;

namespace Kim.WebApp.Components.Pages.Monitoring;

/// <summary>
/// The CSV exports of the ReportingService, streamed through the front end (<see cref="GatewayDownloads"/>): monitoring
/// for the coordination, cross tables for the state reporter. A cross table's address carries only the period, the
/// question path, the column split and the subgroup.
/// </summary>
public static class ReportDownloads
{
    public static void MapReportDownloads(this WebApplication app)
    {
        app.MapGatewayDownload("/monitoring/engpaesse.csv", _ => "api/reports/referrals/bottlenecks.csv", _ => "engpaesse.csv", KimRoles.Coordinator);
        app.MapGatewayDownload("/monitoring/fallarbeit.csv", _ => "api/reports/case-work.csv", _ => "fallarbeit.csv", KimRoles.Coordinator);
        app.MapGatewayDownload("/land/kreuztabelle.csv", CrossTable, _ => "kreuztabelle.csv", KimRoles.StateReporter);
    }

    private static string CrossTable(HttpContext context)
    {
        var query = context.Request.Query;
        return "api/state/crosstab.csv" + QueryString.Create(new Dictionary<string, string?>
        {
            ["period"] = query["zeitraum"],
            ["row"] = query["frage"],
            ["column"] = query["spalten"],
            ["where"] = query["teilgruppe"],
        }.Where(p => !string.IsNullOrEmpty(p.Value)));
    }
}
