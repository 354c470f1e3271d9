using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kim.AppHost;

/// <summary>Says where a person starts once the gateway is healthy: the gateway and the dashboard.</summary>
internal static class GatewayAnnouncement
{
    public static void Subscribe(IDistributedApplicationBuilder builder, ProjectResource gateway, PlatformOptions options)
    {
        var dashboard = builder.Configuration["ASPNETCORE_URLS"]?.Split(';').FirstOrDefault();
        builder.Eventing.Subscribe<ResourceReadyEvent>(gateway, (ready, _) =>
        {
            var logger = ready.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Kim.Platform");
            logger.LogInformation("Platform ready. Gateway: http://127.0.0.1:{GatewayPort}/  Dashboard: {Dashboard}", options.GatewayPort, dashboard ?? "(not started)");
            return Task.CompletedTask;
        });
    }
}
