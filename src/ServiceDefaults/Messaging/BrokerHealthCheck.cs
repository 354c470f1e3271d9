using Microsoft.Extensions.Diagnostics.HealthChecks;
using RabbitMQ.Client;

namespace Kim.ServiceDefaults.Messaging;

/// <summary>
/// Readiness of the broker itself: opens (and closes) an AMQP connection with the service's credentials and
/// virtual host. MassTransit's own bus check only reflects receive endpoints, so a publisher-only service would
/// stay "healthy" while the broker is gone. The result is cached briefly so probes do not flood the broker.
/// </summary>
public sealed class BrokerHealthCheck(Uri amqpUri, TimeProvider clock) : IHealthCheck
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(2);
    private readonly SemaphoreSlim gate = new(1, 1);
    private (DateTimeOffset At, HealthCheckResult Result)? last;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (last is { } cached && clock.GetUtcNow() - cached.At < CacheFor)
            {
                return cached.Result;
            }

            var result = await ProbeAsync(cancellationToken);
            last = (clock.GetUtcNow(), result);
            return result;
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<HealthCheckResult> ProbeAsync(CancellationToken cancellationToken)
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
