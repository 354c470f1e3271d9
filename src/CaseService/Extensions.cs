using Kim.CaseService.Cases;
using Kim.CaseService.Infrastructure;
using Kim.CaseService.Tenancy;
using Kim.ServiceDefaults;
using Kim.ServiceDefaults.Messaging;
using Kim.ServiceDefaults.Persistence;

namespace Kim.CaseService;

internal static class Extensions
{
    public const string DatabaseName = "casedb";

    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<TenantOptions>()
            .BindConfiguration(TenantOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(TenantOptions.HasUsableKey, "Tenant:PseudonymKey must be a base64 key of at least 32 bytes.")
            .ValidateOnStart();
        builder.Services.AddSingleton<CaseKeys>();
        builder.Services.AddSingleton(TimeProvider.System);

        builder.AddKimDbContext<CaseDbContext, SqliteCaseDbContext, SqlServerCaseDbContext>(DatabaseName);
        var tenant = builder.Configuration[$"{TenantOptions.SectionName}:Id"] ?? "unconfigured";
        builder.AddKimMessaging<CaseDbContext>(ResourceNames.CaseService(tenant));
    }

    public static void MapCaseServiceApi(this WebApplication app)
    {
        var tenantApi = app.MapGroup("/api/tenants/{tenant}")
            .AddEndpointFilter<TenantRouteFilter>()
            .RequireAuthorization();
        tenantApi.MapCasesApi();
    }
}
