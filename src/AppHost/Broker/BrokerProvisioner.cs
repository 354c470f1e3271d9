using Testcontainers.RabbitMq;

namespace Kim.AppHost.Broker;

/// <summary>A broker the platform uses, and what has to be stopped when the platform stops (nothing for a configured one).</summary>
public sealed class ProvisionedBroker(BrokerEndpoint endpoint, Func<ValueTask>? stop = null) : IAsyncDisposable
{
    public BrokerEndpoint Endpoint { get; } = endpoint;

    public ValueTask DisposeAsync() => stop?.Invoke() ?? ValueTask.CompletedTask;
}

/// <summary>
/// Finds or starts the broker, in this order: the configured connection string (<c>ConnectionStrings:messaging</c>,
/// with <c>RabbitMq:ManagementUri</c> for provisioning) -> a RabbitMQ container when a Docker engine answers ->
/// a private node of the locally installed <c>rabbitmq-server</c> -> a clear error naming all three.
/// </summary>
public static class BrokerProvisioner
{
    public const string ManagementUriKey = "RabbitMq:ManagementUri";
    private const string ContainerImage = "rabbitmq:3.13-management";

    public static async Task<ProvisionedBroker> ProvisionAsync(
        string? configuredConnectionString,
        string? configuredManagementUri,
        string nodeDirectory,
        string nodeName,
        bool freshNode,
        Action<string> report,
        CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(configuredConnectionString))
        {
            var amqp = new Uri(configuredConnectionString);
            var management = string.IsNullOrWhiteSpace(configuredManagementUri)
                ? new Uri($"http://{amqp.UserInfo}@{amqp.Host}:15672/")
                : new Uri(configuredManagementUri);
            report($"broker: configured connection string ({amqp.Host}:{amqp.Port})");
            return new ProvisionedBroker(new BrokerEndpoint(amqp, management, "configured connection string"));
        }

        var tried = new List<string> { "no ConnectionStrings:messaging configured" };
        if (DockerEngineMayAnswer())
        {
            try
            {
                var container = new RabbitMqBuilder(ContainerImage).WithPortBinding(15672, assignRandomHostPort: true).Build();
                await container.StartAsync(cancellationToken);
                var amqp = new Uri(container.GetConnectionString());
                var management = new Uri($"http://{amqp.UserInfo}@{container.Hostname}:{container.GetMappedPublicPort(15672)}/");
                report($"broker: container {ContainerImage}");
                return new ProvisionedBroker(new BrokerEndpoint(amqp, management, "container " + ContainerImage), container.DisposeAsync);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                tried.Add($"Docker did not start a RabbitMQ container ({exception.GetType().Name}: {exception.Message})");
            }
        }
        else
        {
            tried.Add("no Docker engine answers (DOCKER_HOST unset, no /var/run/docker.sock)");
        }

        if (LocalRabbitMqNode.FindServerBinary() is not null)
        {
            var node = await LocalRabbitMqNode.StartAsync(nodeDirectory, nodeName, freshNode, TimeSpan.FromSeconds(90), cancellationToken);
            report($"broker: {node.Endpoint.Origin}, amqp port {node.Endpoint.AmqpUri.Port}, data in {nodeDirectory}");
            return new ProvisionedBroker(node.Endpoint, node.DisposeAsync);
        }

        tried.Add("rabbitmq-server is not installed (apt-get install rabbitmq-server, or set RABBITMQ_SERVER)");
        throw new BrokerUnavailableException("No RabbitMQ broker is available: " + string.Join("; ", tried) + ".");
    }

    private static bool DockerEngineMayAnswer() =>
        !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("DOCKER_HOST")) || File.Exists("/var/run/docker.sock");
}
