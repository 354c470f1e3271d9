using Kim.Hosting.Broker;
using Kim.ServiceDefaults.Messaging;

namespace Kim.AppHost.Messaging;

/// <summary>
/// A dashboard command on the broker: moves every message in the platform's <c>*_error</c> queues back to the queue
/// it failed in, once an operator has fixed the cause (the CLI's <c>requeue</c> does the same for one queue).
/// </summary>
public static class ErrorQueueCommand
{
    public const string Name = "requeue-errors";

    public static void Add<T>(IResourceBuilder<T> broker, BrokerEndpoint endpoint)
        where T : IResource =>
        broker.WithCommand(Name, "Fehlgeschlagene Nachrichten zurückstellen", async context =>
        {
            try
            {
                await MoveAllAsync(endpoint, "/", context.CancellationToken);
                return CommandResults.Success();
            }
            catch (Exception exception) when (exception is HttpRequestException or RabbitMQ.Client.Exceptions.RabbitMQClientException or InvalidOperationException)
            {
                return CommandResults.Failure(exception.Message);
            }
        }, new CommandOptions
        {
            Description = "Verschiebt alle Nachrichten aus den Fehlerwarteschlangen (*_error) zurück in ihre Warteschlange.",
            ConfirmationMessage = "Erst zurückstellen, wenn die Ursache der Fehler behoben ist. Fortfahren?",
            IconName = "ArrowRepeatAll",
            UpdateState = context => context.ResourceSnapshot.HealthStatus == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy
                ? ResourceCommandState.Enabled
                : ResourceCommandState.Disabled,
        });

    /// <summary>Moves the messages of every non-empty error queue of <paramref name="virtualHost"/>; returns how many moved.</summary>
    public static async Task<int> MoveAllAsync(BrokerEndpoint endpoint, string virtualHost, CancellationToken cancellationToken)
    {
        using var management = new RabbitMqManagementClient(endpoint.ManagementUri);
        var moved = 0;
        foreach (var queue in await management.QueuesAsync(virtualHost, cancellationToken))
        {
            if (queue.Name.EndsWith(ErrorQueueMover.ErrorSuffix, StringComparison.Ordinal) && queue.Messages > 0)
            {
                moved += await ErrorQueueMover.MoveAsync(endpoint.ForVirtualHost(virtualHost), queue.Name, null, null, cancellationToken);
            }
        }

        return moved;
    }
}
