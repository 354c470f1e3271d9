using Kim.NetworkService.Agreements;
using Kim.NetworkService.GoalSystems;
using Kim.NetworkService.Infrastructure;
using Kim.NetworkService.Notifications;
using Kim.NetworkService.Organisations;
using Kim.NetworkService.ServiceChains;
using Kim.NetworkService.Steering;
using Kim.NetworkService.Themes;
using Kim.NetworkService.WorkingGroups;
using Kim.ServiceDefaults;
using Kim.ServiceDefaults.Messaging;
using Kim.ServiceDefaults.Persistence;
using Kim.ServiceDefaults.Security;
using Microsoft.AspNetCore.Authorization;

namespace Kim.NetworkService;

internal static class Extensions
{
    public const string DatabaseName = "networkdb";

    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddOptions<NetworkOptions>().BindConfiguration(NetworkOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<IAuthorizationHandler, CoordinatingOfficeHandler>();
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(NetworkPolicies.Manage, policy => policy.RequireRole(KimRoles.Coordinator).AddRequirements(new CoordinatingOfficeRequirement()))
            .AddPolicy(NetworkPolicies.Propose, policy => policy.RequireRole(KimRoles.Coordinator))
            .AddPolicy(NetworkPolicies.Vote, policy => policy.RequireRole(KimRoles.SteeringMember));
        builder.AddKimDbContext<NetworkDbContext, SqliteNetworkDbContext, SqlServerNetworkDbContext>(DatabaseName);
        builder.AddKimMessaging<NetworkDbContext>(ResourceNames.NetworkService, bus =>
        {
            bus.AddConsumer<CaseReconstructionSubmittedHandler>();
            bus.AddConsumer<NetworkSnapshotRequestedHandler>();
        });
        builder.Services.AddScoped<ResolutionService>();
        builder.Services.AddHostedService<CircularBallotCloser>();
        builder.Services.AddOptions<NotificationOptions>().BindConfiguration(NotificationOptions.SectionName).ValidateDataAnnotations()
            .Validate(o => MimeKit.MailboxAddress.TryParse(o.From, out _), "Notifications:From must be a mail address, e.g. \"Lenkungsgruppe <kim@kommune.de>\".")
            .ValidateOnStart();
        builder.Services.AddSingleton<NotificationSignal>();
        builder.Services.AddHostedService<NotificationDispatcher>();
    }

    public static void MapNetworkApi(this WebApplication app)
    {
        var network = app.MapGroup("/api/network").RequireAuthorization();
        network.MapOrganisationsApi();
        network.MapSteeringApi().MapMeetingsApi().MapMotionsApi();
        network.MapWorkingGroupsApi();
        network.MapThemesApi();
        network.MapGoalSystemsApi();
        network.MapServiceChainsApi();
        network.MapAgreementsApi();
    }
}
