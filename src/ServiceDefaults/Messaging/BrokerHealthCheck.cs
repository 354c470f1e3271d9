using Microsoft.Extensions.Diagnostics.HealthChecks;
using RabbitMQ.Client;

namespace Kim.ServiceDefaults.Messaging;

/// <summary>
/// Readiness of the broker itself: opens (and closes) an AMQP connection with the service's credentials and
/// virtual host. MassTransit's own bus check only reflects receive endpoints, so a publisher-only service would
/// stay "healthy" while the broker is gone. The result is cached briefly so probes do not flood the broker.
/// </summary>
public sealed class BrokerHealthCheck(Uri amqpUri, TimeProvider clock) : CachedHealthCheck(clock, TimeSpan.FromSeconds(2))
{
    protected override async Task<HealthCheckResult> ProbeAsync(CancellationToken cancellationToken)
    {
        var factory = new ConnectionFactory
        {
            Uri = amqpUri,
            RequestedConnectionTimeout = TimeSpan.FromSeconds(2),
            AutomaticRecoveryEnabled = false,
            ClientProvidedName = "health-probe",
        };
        try
        {
            await using var connection = await factory.CreateConnectionAsync(cancellationToken);
            await connection.CloseAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"broker {amqpUri.Host}:{amqpUri.Port} not reachable: {exception.GetType().Name}");
        }
    }
}
