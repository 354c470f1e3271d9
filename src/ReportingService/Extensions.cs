using Kim.ReportingService.EventStore;
using Kim.ReportingService.Infrastructure;
using Kim.ReportingService.Operations;
using Kim.ReportingService.Overview;
using Kim.ReportingService.Projections;
using Kim.ServiceDefaults;
using Kim.ServiceDefaults.Messaging;
using Kim.ServiceDefaults.Persistence;
using MassTransit;

namespace Kim.ReportingService;

internal static class Extensions
{
    public const string DatabaseName = "reportingdb";

    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(TimeProvider.System);
        builder.AddKimDbContext<ReportingDbContext, SqliteReportingDbContext, SqlServerReportingDbContext>(DatabaseName);
        builder.AddKimMessaging<ReportingDbContext>(ResourceNames.ReportingService, bus =>
        {
            foreach (var eventType in StoredEvents.EventTypes)
            {
                // One queue per event type, named like the others: reportingservice-<event>-handler.
                var queue = $"{ResourceNames.ReportingService}-{KebabCaseEndpointNameFormatter.Instance.SanitizeName(eventType.Name)}-handler";
                bus.AddConsumer(typeof(StoreEventHandler<>).MakeGenericType(eventType)).Endpoint(endpoint => endpoint.Name = queue);
            }
        });
    }

    public static void MapReportingApi(this WebApplication app)
    {
        var reports = app.MapGroup("/api/reports").RequireAuthorization();
        reports.MapOverviewApi();
        reports.MapOperationsApi();
        reports.MapProjectionsApi();
    }
}
