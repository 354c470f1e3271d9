using Kim.ReportingService.EventStore;
using Kim.ReportingService.Infrastructure;
using Kim.ReportingService.Operations;
using Kim.ReportingService.Overview;
using Kim.ServiceDefaults;
using Kim.ServiceDefaults.Messaging;
using Kim.ServiceDefaults.Persistence;

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
            bus.AddConsumer<CaseOpenedHandler>();
        });
    }

    public static void MapReportingApi(this WebApplication app)
    {
        var reports = app.MapGroup("/api/reports").RequireAuthorization();
        reports.MapOverviewApi();
        reports.MapOperationsApi();
    }
}
