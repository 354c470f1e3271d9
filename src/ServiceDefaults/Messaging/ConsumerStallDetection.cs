using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using MassTransit;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace Kim.ServiceDefaults.Messaging;

public sealed class ConsumerStallOptions
{
    /// <summary>A queue with ready messages and no consumption by this instance for this long, while its depth does not fall, is stalled.</summary>
    public TimeSpan StallAfter { get; set; } = TimeSpan.FromSeconds(60);
}

/// <summary>When this instance last finished a message per receive queue (successfully or not).</summary>
public sealed class ConsumerActivity(TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> lastActivity = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, DateTimeOffset> Queues => lastActivity;

    /// <summary>A receive endpoint became ready: its queue is watched from now on (not the bus's own temporary queue).</summary>
    public void Ready(Uri inputAddress)
    {
        if (!inputAddress.Query.Contains("temporary=true", StringComparison.OrdinalIgnoreCase)
            && !inputAddress.Query.Contains("autodelete=", StringComparison.OrdinalIgnoreCase))
        {
            lastActivity[QueueName(inputAddress)] = clock.GetUtcNow();
        }
    }

    public void Consumed(Uri? inputAddress)
    {
        if (inputAddress is not null && lastActivity.ContainsKey(QueueName(inputAddress)))
        {
            lastActivity[QueueName(inputAddress)] = clock.GetUtcNow();
        }
    }

    private static string QueueName(Uri address) => address.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries).Last();
}

/// <summary>Feeds <see cref="ConsumerActivity"/> from MassTransit.</summary>
public sealed class ConsumerActivityObserver(ConsumerActivity activity) : IConsumeObserver, IReceiveEndpointObserver
{
    public Task PreConsume<T>(ConsumeContext<T> context) where T : class => Task.CompletedTask;

    public Task PostConsume<T>(ConsumeContext<T> context) where T : class
    {
        activity.Consumed(context.ReceiveContext.InputAddress);
        return Task.CompletedTask;
    }

    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class
    {
        activity.Consumed(context.ReceiveContext.InputAddress);
        return Task.CompletedTask;
    }

    public Task Ready(ReceiveEndpointReady ready)
    {
        activity.Ready(ready.InputAddress);
        return Task.CompletedTask;
    }

    public Task Stopping(ReceiveEndpointStopping stopping) => Task.CompletedTask;

    public Task Completed(ReceiveEndpointCompleted completed) => Task.CompletedTask;

    public Task Faulted(ReceiveEndpointFaulted faulted) => Task.CompletedTask;
}

/// <summary>
/// Guards against a known client failure: after a broker restart a consumer can stop silently (still listed on
/// the queue, no deliveries, depth growing). The check reads each watched queue's ready count (passive declare)
/// and reports the queue unhealthy when messages wait, this instance consumed nothing for
/// <see cref="ConsumerStallOptions.StallAfter"/>, and the depth did not fall since the last probe (so another
/// instance is not draining it either).
/// </summary>
public sealed class ConsumerStallHealthCheck(
    BrokerConnection broker,
    ConsumerActivity activity,
    TimeProvider clock,
    IOptions<ConsumerStallOptions> options,
    ILogger<ConsumerStallHealthCheck> logger) : CachedHealthCheck(clock, TimeSpan.FromSeconds(1))
{
    private static readonly Meter Meter = new(Extensions.MeterName);
    private static int stalledQueues;
    private static readonly ObservableGauge<int> StalledGauge =
        Meter.CreateObservableGauge("kim.consumer.stalled_queues", () => Volatile.Read(ref stalledQueues), description: "Receive queues whose consumer stopped taking messages");

    private readonly ConcurrentDictionary<string, uint> lastDepth = new(StringComparer.Ordinal);

    protected override async Task<HealthCheckResult> ProbeAsync(CancellationToken cancellationToken)
    {
        var watched = activity.Queues.ToList();
        if (watched.Count == 0)
        {
            return HealthCheckResult.Healthy("no receive queues");
        }

        var stalled = new List<string>();
        try
        {
            await using var connection = await broker.ConnectAsync("stall-probe", cancellationToken);
            var now = Clock.GetUtcNow();
            foreach (var (queue, lastConsumed) in watched)
            {
                await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
                var depth = (await channel.QueueDeclarePassiveAsync(queue, cancellationToken)).MessageCount;
                var previous = lastDepth.GetValueOrDefault(queue, uint.MaxValue);
                lastDepth[queue] = depth;
                if (depth > 0 && now - lastConsumed > options.Value.StallAfter && depth >= previous)
                {
                    stalled.Add($"{queue} ({depth} waiting, nothing consumed for {(now - lastConsumed).TotalSeconds:0} s)");
                }
            }

            await connection.CloseAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Broker reachability is the broker check's verdict; this one judges consumers only.
            return HealthCheckResult.Healthy($"queues not readable: {exception.GetType().Name}");
        }

        Volatile.Write(ref stalledQueues, stalled.Count);
        if (stalled.Count == 0)
        {
            return HealthCheckResult.Healthy();
        }

        logger.LogWarning("Stalled consumers: {StalledQueues}", string.Join("; ", stalled));
        return HealthCheckResult.Unhealthy("stalled consumers: " + string.Join("; ", stalled));
    }

}
