using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Kim.ServiceDefaults.Messaging;

/// <summary>A health check that probes the broker at most once per <paramref name="cacheFor"/>, so frequent readiness probes do not flood it.</summary>
public abstract class CachedHealthCheck(TimeProvider clock, TimeSpan cacheFor) : IHealthCheck
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private (DateTimeOffset At, HealthCheckResult Result)? last;

    protected TimeProvider Clock => clock;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (last is { } cached && clock.GetUtcNow() - cached.At < cacheFor)
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

    protected abstract Task<HealthCheckResult> ProbeAsync(CancellationToken cancellationToken);
}
