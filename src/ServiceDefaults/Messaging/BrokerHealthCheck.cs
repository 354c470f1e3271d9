using Microsoft.Extensions.Diagnostics.HealthChecks;
using RabbitMQ.Client;

namespace Kim.ServiceDefaults.Messaging;

/// <summary>
/// Readiness of the broker itself: opens (and closes) an AMQP connection with the service's credentials and
/// virtual host. MassTransit's own bus check only reflects receive endpoints, so a publisher-only service would
/// stay "healthy" while the broker is gone. The result is cached briefly so probes do not flood the broker.
/// </summary>
public sealed class BrokerHealthCheck(BrokerConnection broker, TimeProvider clock) : CachedHealthCheck(clock, TimeSpan.FromSeconds(2))
{
    protected override async Task<HealthCheckResult> ProbeAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await broker.ConnectAsync("health-probe", cancellationToken);
            await connection.CloseAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"broker {broker.Describe()} not reachable: {exception.GetType().Name}");
        }
    }
}
