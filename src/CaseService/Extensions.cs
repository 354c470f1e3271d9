using Kim.CaseService.Audit;
using Kim.CaseService.Cases;
using Kim.CaseService.Consents;
using Kim.CaseService.Documents;
using Kim.CaseService.Import;
using Kim.CaseService.Infrastructure;
using Kim.CaseService.Network;
using Kim.CaseService.Protection;
using Kim.CaseService.Reconstructions;
using Kim.CaseService.Referrals;
using Kim.CaseService.Retention;
using Kim.CaseService.Supervision;
using Kim.CaseService.Tenancy;
using Kim.ServiceDefaults;
using Kim.ServiceDefaults.Messaging;
using Kim.ServiceDefaults.Persistence;
using Kim.ServiceDefaults.Security;
using Microsoft.AspNetCore.Authorization;

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
        builder.Services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.SectionName)
            .Validate(o => o.AnonymiseAfter > TimeSpan.Zero && o.Interval > TimeSpan.Zero, "Retention periods must be positive.")
            .ValidateOnStart();
        builder.Services.AddOptions<DocumentOptions>().BindConfiguration(DocumentOptions.SectionName)
            .Validate(o => o.MaxBytes is > 0 and <= 100 * 1024 * 1024, "Documents:MaxBytes must be between 1 byte and 100 MB.")
            .ValidateOnStart();
        builder.AddTransportSecurity();
        builder.Services.AddSingleton<CaseKeys>();
        builder.Services.AddSingleton<IdentityProtector>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddScoped<CaseServices>();
        builder.Services.AddSingleton<RetentionJob>();
        builder.Services.AddHostedService(services => services.GetRequiredService<RetentionJob>());
        builder.Services.AddHostedService<ClientIndexBackfill>();
        builder.Services.AddHostedService<NetworkCatchUp>();
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(CasePolicies.CaseWork, policy => policy.RequireRole(KimRoles.CaseManager, KimRoles.Coordinator))
            .AddPolicy(CasePolicies.Reconstruct, policy => policy.RequireRole(KimRoles.Coordinator))
            .AddPolicy(CasePolicies.Supervise, policy => policy.RequireRole(KimRoles.Coordinator))
            .AddPolicy(CasePolicies.AuditRead, policy => policy.RequireRole(KimRoles.DataProtectionOfficer))
            .AddPolicy(CasePolicies.Import, policy => policy.RequireRole(KimRoles.Operator, KimRoles.CarrierAdmin));

        builder.Services.AddOptions<AuditOptions>().BindConfiguration(AuditOptions.SectionName)
            .Validate(o => o.MaxBatch > 0, "Audit:MaxBatch must be positive.")
            .ValidateOnStart();
        builder.Services.AddSingleton<AuditWriter>();
        builder.Services.AddExceptionHandler<AuditUnavailableHandler>();
        builder.Services.AddSingleton<RefusedAccessAudit>();
        builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler>(services => services.GetRequiredService<RefusedAccessAudit>());

        builder.AddKimDbContext<CaseDbContext, SqliteCaseDbContext, SqlServerCaseDbContext>(DatabaseName);
        builder.Services.AddSingleton<IOutboxPayloadErasure, PersonalDataOutboxErasure>();
        var tenant = builder.Configuration[$"{TenantOptions.SectionName}:Id"] ?? "unconfigured";
        builder.AddKimMessaging<CaseDbContext>(ResourceNames.CaseService(tenant), bus =>
        {
            bus.AddConsumer<OrganisationRegisteredHandler>();
            bus.AddConsumer<ServiceChainAdoptedHandler>();
            bus.AddConsumer<NetworkSnapshotPublishedHandler>();
            bus.AddReferralConsumers(tenant);
        });
    }

    public static void MapCaseServiceApi(this WebApplication app)
    {
        var tenantApi = app.MapGroup("/api/tenants/{tenant}")
            .AddEndpointFilter<TenantRouteFilter>()
            .RequireAuthorization();
        tenantApi.MapCasesApi()
            .MapCaseWorkApi()
            .MapCaseRecordsApi()
            .MapClientRecordsApi()
            .MapDocumentsApi()
            .MapConsentsApi()
            .MapReferralsApi()
            .MapIncomingReferralsApi()
            .MapWorklistApi()
            .MapReconstructionsApi()
            .MapAuditApi()
            .MapSupervisionApi()
            .MapImportApi();
    }
}
