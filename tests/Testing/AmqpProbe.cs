using System.Text;
using RabbitMQ.Client;

namespace Kim.Testing;

/// <summary>
/// A plain AMQP subscriber, independent of MassTransit, that binds its own queue to a message-type exchange and
/// reads the raw bytes the service published.
/// </summary>
public sealed class AmqpProbe : IAsyncDisposable
{
    private readonly IConnection connection;
    private readonly IChannel channel;
    private readonly string queue;

    private AmqpProbe(IConnection connection, IChannel channel, string queue)
    {
        this.connection = connection;
        this.channel = channel;
        this.queue = queue;
    }

    /// <summary>One queue bound to every exchange in <paramref name="exchanges"/> (message-type exchanges are fanout).</summary>
    public static async Task<AmqpProbe> BindAsync(string amqpUri, params string[] exchanges)
    {
        var connection = await new ConnectionFactory { Uri = new Uri(amqpUri) }.CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync();
        var queue = $"probe-{Guid.NewGuid():N}";
        await channel.QueueDeclareAsync(queue, durable: false, exclusive: false, autoDelete: false);
        foreach (var exchange in exchanges)
        {
            await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true);
            await channel.QueueBindAsync(queue, exchange, "");
        }

        return new AmqpProbe(connection, channel, queue);
    }

    /// <summary>Every message queued right now, oldest first.</summary>
    public async Task<IReadOnlyList<string>> DrainAsync()
    {
        var messages = new List<string>();
        while (await channel.BasicGetAsync(queue, autoAck: true) is { } result)
        {
            messages.Add(Encoding.UTF8.GetString(result.Body.Span));
        }

        return messages;
    }

    /// <summary>Waits for the next message and returns its body as text.</summary>
    public async Task<string> NextAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var result = await channel.BasicGetAsync(queue, autoAck: true);
            if (result is not null)
            {
                return Encoding.UTF8.GetString(result.Body.Span);
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"No message arrived in {queue} within {timeout}.");
    }

    public async Task<uint> CountAsync() => await channel.MessageCountAsync(queue);

    public async ValueTask DisposeAsync()
    {
        await channel.QueueDeleteAsync(queue);
        await channel.DisposeAsync();
        await connection.DisposeAsync();
    }
}
