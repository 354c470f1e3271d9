using Kim.NetworkService.Infrastructure;
using Kim.NetworkService.Organisations;
using Kim.ServiceDefaults;
using Kim.ServiceDefaults.Messaging;
using Kim.ServiceDefaults.Persistence;

namespace Kim.NetworkService;

internal static class Extensions
{
    public const string DatabaseName = "networkdb";

    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(TimeProvider.System);
        builder.AddKimDbContext<NetworkDbContext, SqliteNetworkDbContext, SqlServerNetworkDbContext>(DatabaseName);
        builder.AddKimMessaging<NetworkDbContext>(ResourceNames.NetworkService);
    }

    public static void MapNetworkApi(this WebApplication app)
    {
        var network = app.MapGroup("/api/network").RequireAuthorization();
        network.MapOrganisationsApi();
    }
}
