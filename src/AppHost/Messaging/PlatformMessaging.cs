using System.Diagnostics;
using Kim.Hosting;
using Kim.Hosting.Broker;
using Kim.ServiceDefaults;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace Kim.AppHost.Messaging;

/// <summary>
/// The broker, in this order: a configured connection string (<c>ConnectionStrings:messaging</c>, e.g. a production
/// cluster) -> a RabbitMQ container when a container engine answers and is healthy -> a private node of Debian's
/// <c>rabbitmq-server</c> with its Erlang port mapper as a resource of its own -> a clear error. Each service instance
/// gets its own broker user with least rights (<see cref="BrokerAccess"/>), provisioned before any service starts.
/// </summary>
public sealed class PlatformMessaging
{
    public const string ReadyCheck = "messaging-ready";
    private const string ContainerImageTag = "3.13-management";

    private readonly PlatformSecrets secrets;
    private readonly IResourceBuilder<IResourceWithConnectionString>? connectionString;

    private PlatformMessaging(PlatformSecrets secrets, BrokerEndpoint? endpoint, IResourceBuilder<IResource>? broker, IResourceBuilder<IResourceWithConnectionString>? connectionString, bool userPerService)
    {
        this.secrets = secrets;
        Endpoint = endpoint;
        Broker = broker;
        this.connectionString = connectionString;
        UserPerService = userPerService && endpoint is not null;
    }

    /// <summary>The broker's administrative endpoint, when AppHost knows it (not when publishing).</summary>
    public BrokerEndpoint? Endpoint { get; }

    /// <summary>The resource services wait for; null for a configured broker.</summary>
    public IResourceBuilder<IResource>? Broker { get; }

    public bool UserPerService { get; }

    /// <summary>Further nodes of a configured broker cluster (<c>Messaging:Nodes</c>, <c>host:port</c>), passed on to every service.</summary>
    public IReadOnlyList<string> FurtherNodes { get; private init; } = [];

    public string? ManagementUri => Endpoint?.ManagementUri.ToString();

    public string VirtualHost
    {
        get
        {
            var path = Uri.UnescapeDataString(Endpoint!.AmqpUri.AbsolutePath.TrimStart('/'));
            return path.Length == 0 ? "/" : path;
        }
    }

    public static PlatformMessaging Add(IDistributedApplicationBuilder builder, PlatformOptions options, PlatformSecrets secrets, IReadOnlyList<string> services)
    {
        if (builder.ExecutionContext.IsPublishMode)
        {
            // Deployment tools supply the production broker's connection string.
            return new PlatformMessaging(secrets, null, null, builder.AddConnectionString(ResourceNames.Messaging), userPerService: false);
        }

        var configured = builder.Configuration.GetConnectionString(ResourceNames.Messaging);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            var amqp = new Uri(configured);
            var managementSetting = builder.Configuration["RabbitMq:ManagementUri"];
            var endpoint = new BrokerEndpoint(amqp,
                string.IsNullOrWhiteSpace(managementSetting) ? new Uri($"http://{amqp.UserInfo}@{amqp.Host}:15672/") : new Uri(managementSetting),
                "configured connection string");
            var messaging = new PlatformMessaging(secrets, endpoint, null, null, options.BrokerUserPerService && !string.IsNullOrWhiteSpace(managementSetting))
            {
                FurtherNodes = builder.Configuration.GetSection("Messaging:Nodes").Get<string[]>()?.Where(n => !string.IsNullOrWhiteSpace(n)).ToList() ?? [],
            };
            if (messaging.UserPerService)
            {
                builder.Eventing.Subscribe<BeforeStartEvent>((_, cancellationToken) => messaging.ProvisionUsersAsync(services, cancellationToken));
            }

            return messaging;
        }

        var data = Path.Combine(secrets.DataDirectory, "rabbitmq");
        if (ContainerEngine.AnswersAndIsHealthy())
        {
            var amqpPort = LocalRabbitMqNode.FreePort();
            var managementPort = LocalRabbitMqNode.FreePort(amqpPort);
            var password = secrets.Development.BrokerPassword(ResourceNames.Messaging);
            builder.Configuration["Parameters:messaging-password"] = password;
            var container = builder.AddRabbitMQ(ResourceNames.Messaging, password: builder.AddParameter("messaging-password", secret: true), port: amqpPort)
                .WithImageTag(ContainerImageTag)
                .WithManagementPlugin(port: managementPort)
                .WithDataVolume("kim-messaging");
            var endpoint = new BrokerEndpoint(new Uri($"amqp://guest:{password}@127.0.0.1:{amqpPort}/"), new Uri($"http://guest:{password}@127.0.0.1:{managementPort}/"), "container rabbitmq:" + ContainerImageTag);
            var messaging = new PlatformMessaging(secrets, endpoint, container, null, options.BrokerUserPerService);
            messaging.AddReadyCheck(builder, services, QuorumQueues(options));
            container.WithHealthCheck(ReadyCheck);
            ErrorQueueCommand.Add(container, endpoint);
            return messaging;
        }

        if (LocalRabbitMqNode.FindServerBinary() is { } server)
        {
            var settings = RabbitMqNodeSettings.Create(data, "kim");
            settings.WriteConfiguration();
            var runAs = RunAs.RabbitMqUser(settings.Directory);
            var epmd = runAs.AddExecutable(builder, ResourceNames.Messaging + "-epmd", "epmd", settings.Directory,
                    "-port", settings.EpmdPort.ToString(), "-address", "127.0.0.1")
                .WithHealthCheck(AddPortCheck(builder, ResourceNames.Messaging + "-epmd-listening", settings.EpmdPort));
            var node = runAs.AddExecutable(builder, ResourceNames.Messaging, server, settings.Directory)
                .WithEnvironment(context =>
                {
                    foreach (var (key, value) in settings.Environment())
                    {
                        context.EnvironmentVariables[key] = value;
                    }

                    // The shell script then replaces itself with the Erlang VM: a stop signal reaches the node itself.
                    context.EnvironmentVariables["RUNNING_UNDER_SYSTEMD"] = "true";
                })
                .WaitFor(epmd)
                .WithHealthCheck(ReadyCheck);
            var endpoint = settings.Endpoint("guest", "guest");
            var messaging = new PlatformMessaging(secrets, endpoint, node, null, options.BrokerUserPerService);
            messaging.AddReadyCheck(builder, services, QuorumQueues(options));
            ErrorQueueCommand.Add(node, endpoint);
            return messaging;
        }

        throw new InvalidOperationException(
            "No RabbitMQ broker is available: no ConnectionStrings:messaging is configured, no container engine answers, "
            + "and rabbitmq-server is not installed (apt-get install rabbitmq-server, or set RABBITMQ_SERVER to its path).");
    }

    /// <summary>Gives <paramref name="service"/> its broker connection (its own user where provisioned) and makes it wait for the broker.</summary>
    public void Connect(IResourceBuilder<ProjectResource> service)
    {
        if (connectionString is not null)
        {
            service.WithReference(connectionString);
            return;
        }

        var name = service.Resource.Name;
        service.WithEnvironment("ConnectionStrings__" + ResourceNames.Messaging, secrets.Value($"{name}-messaging", () => ConnectionFor(name)));
        for (var index = 0; index < FurtherNodes.Count; index++)
        {
            service.WithEnvironment($"Messaging__Nodes__{index}", FurtherNodes[index]);
        }

        if (Broker is not null)
        {
            service.WaitFor(Broker);
        }
    }

    private string ConnectionFor(string resource) => UserPerService
        ? Endpoint!.ForVirtualHost(VirtualHost, BrokerAccess.UserName(resource, VirtualHost), secrets.Development.BrokerPassword(resource)).ToString()
        : Endpoint!.AmqpUri.ToString();

    /// <summary>Creates (or updates) each service's broker user with its rights.</summary>
    public async Task ProvisionUsersAsync(IEnumerable<string> services, CancellationToken cancellationToken)
    {
        foreach (var resource in services)
        {
            await BrokerAccess.ProvisionAsync(Endpoint!, VirtualHost, resource, secrets.Development.BrokerPassword(resource), cancellationToken);
        }
    }

    /// <summary>Healthy once the node answers and every service's broker user exists: services start only then.</summary>
    private void AddReadyCheck(IDistributedApplicationBuilder builder, IReadOnlyList<string> services, bool quorumQueues)
    {
        BrokerReadyCheck? check = null;
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(ReadyCheck,
            provider => check ??= new BrokerReadyCheck(this, services,
                quorumQueues ? provider.GetRequiredService<ResourceLoggerService>().GetLogger(Broker!.Resource) : null),
            failureStatus: null, tags: null));
    }

    /// <summary>Whether the services declare quorum queues (unless <c>Platform:Environment:Messaging__QuorumQueues</c> says false).</summary>
    private static bool QuorumQueues(PlatformOptions options) =>
        !(options.Environment.TryGetValue("Messaging__QuorumQueues", out var value) && bool.TryParse(value, out var quorum) && !quorum);

    private static string AddPortCheck(IDistributedApplicationBuilder builder, string name, int port)
    {
        builder.Services.AddHealthChecks().AddAsyncCheck(name, async cancellationToken =>
        {
            try
            {
                using var client = new System.Net.Sockets.TcpClient();
                await client.ConnectAsync(System.Net.IPAddress.Loopback, port, cancellationToken);
                return HealthCheckResult.Healthy();
            }
            catch (System.Net.Sockets.SocketException exception)
            {
                return HealthCheckResult.Unhealthy($"port {port} does not accept connections", exception);
            }
        });
        return name;
    }

    /// <summary>
    /// Healthy once the node answers and every service's broker user exists. With <paramref name="migration"/> (a logger for the
    /// broker's console), the empty classic queues an older start left are deleted first, so the services declare quorum queues
    /// (see <see cref="ClassicQueueMigration"/>).
    /// </summary>
    private sealed class BrokerReadyCheck(PlatformMessaging messaging, IReadOnlyList<string> services, ILogger? migration) : IHealthCheck
    {
        private bool provisioned;
        private bool migrated;

        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            using var management = new Kim.ServiceDefaults.Messaging.RabbitMqManagementClient(messaging.Endpoint!.ManagementUri);
            if (!await RabbitMqNodeSettings.IsReadyAsync(management, messaging.Endpoint.AmqpUri.Port, cancellationToken))
            {
                return HealthCheckResult.Unhealthy("the broker does not answer yet");
            }

            if (messaging.UserPerService && !provisioned)
            {
                await messaging.ProvisionUsersAsync(services, cancellationToken);
                provisioned = true;
            }

            if (migration is not null && !migrated)
            {
                var report = await ClassicQueueMigration.DeleteEmptyClassicQueuesAsync(messaging.Endpoint, messaging.VirtualHost, cancellationToken);
                migrated = true;
                if (report.Deleted.Count > 0)
                {
                    migration.LogInformation("Deleted {Count} empty classic queue(s) of an older start; the services declare them as quorum queues: {Queues}",
                        report.Deleted.Count, string.Join(", ", report.Deleted));
                }

                if (report.Kept.Count > 0)
                {
                    migration.LogWarning(
                        "Classic queue(s) with messages kept: {Queues}. Their services cannot declare them as quorum queues until they are drained "
                        + "(start once with --Platform:Environment:Messaging__QuorumQueues=false, then again without).",
                        string.Join(", ", report.Kept.Select(k => $"{k.Queue} ({k.Messages} messages)")));
                }
            }

            return HealthCheckResult.Healthy();
        }
    }
}

/// <summary>Whether a container engine answers and is healthy: a container resource on an engine that does not answer waits forever.</summary>
internal static class ContainerEngine
{
    public static bool AnswersAndIsHealthy()
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("DOCKER_HOST")) && !File.Exists("/var/run/docker.sock"))
        {
            return false;
        }

        try
        {
            using var info = Process.Start(new ProcessStartInfo("docker", ["info", "--format", "{{.ServerVersion}}"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (info is null)
            {
                return false;
            }

            if (!info.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                info.Kill(entireProcessTree: true);
                return false;
            }

            return info.ExitCode == 0 && info.StandardOutput.ReadToEnd().Trim().Length > 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
