using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Kim.ServiceDefaults.Messaging;

public static class MessagingExtensions
{
    /// <summary>
    /// MassTransit on RabbitMQ (see <see cref="BrokerConnection"/>) with the outbox dispatcher of
    /// <typeparamref name="TContext"/>. Queues are named <c>{endpointPrefix}-{consumer}</c>, so every service
    /// instance (e.g. each tenant's CaseService) has its own. The host starts while the broker is down and
    /// connects when it comes back; <c>/health</c> reports the bus as not ready until then.
    /// </summary>
    public static IHostApplicationBuilder AddKimMessaging<TContext>(
        this IHostApplicationBuilder builder, string endpointPrefix, Action<IBusRegistrationConfigurator>? configureConsumers = null)
        where TContext : DbContext, IMessagingDbContext
    {
        var broker = BrokerConnection.FromConfiguration(builder.Configuration);
        builder.Services.AddSingleton(broker);

        builder.Services.TryAddTimeProvider();
        // A batch is marked sent with one statement naming every id: SQL Server takes at most 2,100 parameters.
        builder.Services.AddOptions<OutboxOptions>().BindConfiguration("Messaging:Outbox")
            .Validate(o => o.BatchSize is >= 1 and <= 1000, "Messaging:Outbox:BatchSize must be between 1 and 1000.").ValidateOnStart();
        builder.Services.AddSingleton<OutboxSignal>();
        builder.Services.AddSingleton<IInterceptor, OutboxSignalInterceptor>();
        builder.Services.AddSingleton<OutboxDispatcher<TContext>>();
        builder.Services.AddHostedService(services => services.GetRequiredService<OutboxDispatcher<TContext>>());
        builder.Services.AddOptions<ConsumerStallOptions>().BindConfiguration("Messaging:Consumers");
        builder.Services.AddSingleton<ConsumerActivity>();
        builder.Services.AddSingleton<ConsumerActivityObserver>();
        builder.Services.AddSingleton(services => new ConsumerStallHealthCheck(broker,
            services.GetRequiredService<ConsumerActivity>(), services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ConsumerStallOptions>>(),
            services.GetRequiredService<Microsoft.Extensions.Logging.ILogger<ConsumerStallHealthCheck>>()));
        // One instance for the process: the health check service asks the factory on every run, and the cache lives in the instance.
        builder.Services.AddSingleton(services => new BrokerHealthCheck(broker, services.GetRequiredService<TimeProvider>()));
        builder.Services.AddHealthChecks()
            .Add(new HealthCheckRegistration("broker",
                services => services.GetRequiredService<BrokerHealthCheck>(),
                HealthStatus.Unhealthy, [Extensions.ReadyTag], TimeSpan.FromSeconds(5)))
            .Add(new HealthCheckRegistration("consumers",
                services => services.GetRequiredService<ConsumerStallHealthCheck>(),
                HealthStatus.Unhealthy, [Extensions.ReadyTag], TimeSpan.FromSeconds(5)));

        // Each queue's consumer keeps 100 messages prefetched (MassTransit's default, max(2 x cores, 16), leaves it
        // waiting for deliveries at bus speed) but applies no more at once than MassTransit would by default: every
        // consumer writes through its service's one SQLite writer, so more at once would mostly wait on the database
        // lock. The inbox keeps any setting idempotent; a crash redelivers at most the prefetched messages. Publisher
        // confirms are not batched by MassTransit 8.5 (each publish awaits its own): throughput comes from confirms in
        // flight, as the outbox dispatcher keeps them.
        var consumerSettings = builder.Configuration.GetSection("Messaging:Consumers");
        var prefetchCount = consumerSettings.GetValue<int?>("PrefetchCount") ?? 100;
        var concurrentMessageLimit = consumerSettings.GetValue<int?>("ConcurrentMessageLimit") ?? Math.Max(Environment.ProcessorCount * 2, 16);
        var quorumQueues = builder.Configuration.GetValue("Messaging:QuorumQueues", true);
        builder.Services.AddMassTransit(bus =>
        {
            bus.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(endpointPrefix, false));
            configureConsumers?.Invoke(bus);
            bus.AddConsumeObserver<ConsumerActivityObserver>();
            bus.AddReceiveEndpointObserver<ConsumerActivityObserver>();
            bus.AddConfigureEndpointsCallback((_, _, endpoint) =>
            {
                endpoint.PrefetchCount = prefetchCount;
                endpoint.ConcurrentMessageLimit = Math.Min(concurrentMessageLimit, prefetchCount);

                endpoint.UseMessageRetry(retry => retry.Intervals(100, 500, 1_000, 2_000, 5_000));
                // A failed message goes to its _error queue with the exception in its headers; no Fault events are
                // published, as they would copy every tenant's failed events into exchanges others could bind to.
                endpoint.PublishFaults = false;
                // Quorum queues replicate every durable queue across the cluster's nodes, so losing one node loses no
                // message and its consumers move on to another; on a single node they behave as classic queues do.
                if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbitEndpoint && quorumQueues)
                {
                    rabbitEndpoint.SetQuorumQueue();
                }
            });
            bus.UsingRabbitMq((context, rabbit) =>
            {
                // Events carry enums by name, never by number (see Contracts/Vocabulary.cs).
                rabbit.ConfigureJsonSerializerOptions(json =>
                {
                    json.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter());
                    return json;
                });
                broker.ConfigureHost(rabbit);
                // Only concrete event types get an exchange: base-type exchanges would need rights on every
                // tenant's events (see BrokerAccess in AppHost) and no consumer subscribes to a base type.
                rabbit.Publish<Kim.Contracts.IntegrationEvent>(publish => publish.Exclude = true);
                rabbit.Publish<Kim.Contracts.TenantIntegrationEvent>(publish => publish.Exclude = true);
                rabbit.Publish<Kim.Contracts.CaseIntegrationEvent>(publish => publish.Exclude = true);
                rabbit.ConfigureEndpoints(context);
            });
        });
        builder.Services.AddOptions<MassTransitHostOptions>().Configure(host =>
        {
            host.WaitUntilStarted = false;
            host.StopTimeout = TimeSpan.FromSeconds(10);
        });
        return builder;
    }

    private static void TryAddTimeProvider(this IServiceCollection services)
    {
        if (!services.Any(d => d.ServiceType == typeof(TimeProvider)))
        {
            services.AddSingleton(TimeProvider.System);
        }
    }
}
