using Kim.ReportingService.EventStore;
using Kim.ReportingService.Infrastructure;
using Kim.ReportingService.Monitoring;
using Kim.ReportingService.Operations;
using Kim.ReportingService.Overview;
using Kim.ReportingService.Projections;
using Kim.ReportingService.ReadModels;
using Kim.ReportingService.State;
using Kim.ReportingService.Submission;
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
        builder.Services.AddOptions<ReportingOptions>().BindConfiguration(ReportingOptions.SectionName)
            .Validate(o => o.SmallCellThreshold >= 0, "Reporting:SmallCellThreshold must not be negative.").ValidateOnStart();
        builder.Services.AddOptions<TypologyOptions>().BindConfiguration($"{ReportingOptions.SectionName}:Typology");
        builder.Services.AddSingleton<SubmissionValidator>();
        builder.Services.AddOptions<StateOptions>().BindConfiguration(StateOptions.SectionName)
            .Validate(o => o.Municipalities is null || o.Municipalities.All(id => id.Length == 5 && id.All(char.IsAsciiDigit)), "Reporting:State:Municipalities must be five-digit AGS keys.")
            .Validate(o => o.LastYear is null || o.LastYear >= o.FirstYear, "Reporting:State:LastYear must not be before FirstYear.")
            .ValidateOnStart();
        builder.Services.AddSingleton<Survey>();
        builder.Services.AddOptions<MunicipalityOptions>().BindConfiguration($"{ReportingOptions.SectionName}:Municipality");
        builder.Services.AddHttpClient(SubmissionApi.StateClient);
        builder.Services.AddSingleton<StateAccessToken>();
        builder.AddKimDbContext<ReportingDbContext, SqliteReportingDbContext, SqlServerReportingDbContext>(DatabaseName);
        if (IsStateMode(builder.Configuration))
        {
            // The ministry's instance imports submissions; it consumes no municipal events.
            return;
        }

        builder.Services.AddSingleton<IngestGate>();
        builder.Services.AddOptions<ReadModelOptions>().BindConfiguration($"{ReportingOptions.SectionName}:ReadModel");
        builder.Services.AddSingleton<ReadModelRebuild>();
        builder.Services.AddHostedService<ReadModelStartup>();
        builder.AddKimMessaging<ReportingDbContext>(ResourceNames.ReportingService, bus =>
        {
            // One writer at a time (see IngestGate).
            bus.AddConfigureEndpointsCallback((context, _, endpoint) => endpoint.UseConsumeFilter(typeof(IngestGateFilter<>), context));
            foreach (var eventType in StoredEvents.EventTypes)
            {
                // One queue per event type, named like the others: reportingservice-<event>-handler.
                var queue = $"{ResourceNames.ReportingService}-{KebabCaseEndpointNameFormatter.Instance.SanitizeName(eventType.Name)}-handler";
                bus.AddConsumer(typeof(StoreEventHandler<>).MakeGenericType(eventType)).Endpoint(endpoint => endpoint.Name = queue);
            }
        });
    }

    public static bool IsStateMode(IConfiguration configuration) =>
        configuration.GetSection(ReportingOptions.SectionName).Get<ReportingOptions>()?.Mode == ReportingMode.State;

    public static void MapReportingApi(this WebApplication app)
    {
        if (IsStateMode(app.Configuration))
        {
            app.MapStateApi();
            return;
        }

        var reports = app.MapGroup("/api/reports").RequireAuthorization();
        reports.MapOverviewApi();
        reports.MapMonitoringApi();
        reports.MapSubmissionApi();
        reports.MapOperationsApi();
        reports.MapProjectionsApi();
    }
}
