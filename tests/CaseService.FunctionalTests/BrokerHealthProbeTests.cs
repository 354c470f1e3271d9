using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Kim.Testing;

namespace Kim.CaseService.FunctionalTests;

/// <summary>
/// A TCP relay in front of the broker that counts the AMQP connections opened through it by the client name each
/// one announces in its handshake (the <c>connection_name</c> client property). The broker's management API knows only
/// open connections and node-wide totals; a probe's connection lives a few milliseconds, so it is counted here.
/// </summary>
public sealed class CountingAmqpRelay : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly Uri broker;
    private readonly CancellationTokenSource stop = new();
    private readonly ConcurrentDictionary<string, int> opened = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<TcpClient> sockets = [];
    private readonly string[] names;
    private readonly Task accepting;

    public CountingAmqpRelay(Uri broker, params string[] names)
    {
        this.broker = broker;
        this.names = names;
        listener.Start();
        accepting = AcceptAsync();
    }

    /// <summary>The broker's amqp URI (credentials, virtual host) with the relay as host.</summary>
    public Uri Uri => new UriBuilder(broker) { Host = "127.0.0.1", Port = ((IPEndPoint)listener.LocalEndpoint).Port }.Uri;

    /// <summary>How many connections that named themselves <paramref name="name"/> were opened so far.</summary>
    public int Opened(string name) => opened.GetValueOrDefault(name);

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stop.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            sockets.Add(client);
            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using var upstream = new TcpClient();
        sockets.Add(upstream);
        try
        {
            await upstream.ConnectAsync(broker.Host, broker.Port, stop.Token);
            var toBroker = PumpAsync(client.GetStream(), upstream.GetStream(), countHandshake: true);
            var toClient = PumpAsync(upstream.GetStream(), client.GetStream(), countHandshake: false);
            await Task.WhenAny(toBroker, toClient);
        }
        catch (Exception exception) when (exception is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
            // The relay stops, or one side hung up.
        }
        finally
        {
            client.Dispose();
        }
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to, bool countHandshake)
    {
        var buffer = new byte[16 * 1024];
        var handshake = countHandshake ? new MemoryStream() : null;
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer, stop.Token)) > 0)
            {
                if (handshake is not null)
                {
                    // The client names itself in Connection.StartOk, within its first bytes.
                    handshake.Write(buffer, 0, read);
                    var text = Encoding.ASCII.GetString(handshake.GetBuffer(), 0, (int)handshake.Length);
                    if (names.FirstOrDefault(candidate => text.Contains(candidate, StringComparison.Ordinal)) is { } name)
                    {
                        opened.AddOrUpdate(name, 1, (_, count) => count + 1);
                        handshake = null;
                    }
                    else if (handshake.Length > 8 * 1024)
                    {
                        handshake = null;
                    }
                }

                await to.WriteAsync(buffer.AsMemory(0, read), stop.Token);
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The relay stops, or one side hung up.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        await accepting;
        foreach (var socket in sockets)
        {
            socket.Dispose();
        }

        stop.Dispose();
    }
}

/// <summary>A clock that stands still unless the test moves it, so a cached health result never expires by itself.</summary>
public sealed class StoppedClock : TimeProvider
{
    private long ticks = DateTimeOffset.UtcNow.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref ticks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref ticks, by.Ticks);
}

/// <summary>Readiness probes come often; the broker check behind <c>/health</c> must not open a connection for each.</summary>
public sealed class BrokerHealthProbeTests : IAsyncLifetime
{
    private const string BrokerProbe = "health-probe";
    private const string ConsumerProbe = "stall-probe";

    private readonly RabbitMqFixture broker = new();
    private readonly TestDirectories directories = new("health-probe");
    private readonly StoppedClock clock = new();
    private CountingAmqpRelay relay = null!;
    private CaseServiceHost host = null!;

    public async Task InitializeAsync()
    {
        await broker.InitializeAsync();
        relay = new CountingAmqpRelay(new Uri(await broker.CreateVirtualHostAsync("health")), BrokerProbe, ConsumerProbe);
        host = new CaseServiceHost(CaseServiceFixture.Tenant, relay.Uri.ToString(), Kim.ServiceDefaults.Security.DevTokens.NewSigningKey(),
            Path.Combine(directories.Path, "caseservice-health.db"), clock);
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        await relay.DisposeAsync();
        await broker.DisposeAsync();
        directories.Dispose();
    }

    [Fact]
    public async Task Ten_health_requests_open_at_most_one_broker_connection()
    {
        var client = host.CreateClient();
        await Eventually.TrueAsync(async () =>
        {
            // The clock stands still: each try moves it past the cached result of the one before.
            clock.Advance(TimeSpan.FromSeconds(3));
            using var response = await client.GetAsync("/health");
            return response.IsSuccessStatusCode;
        }, "GET /health to answer 200");

        clock.Advance(TimeSpan.FromSeconds(3));
        var brokerBefore = relay.Opened(BrokerProbe);
        var consumersBefore = relay.Opened(ConsumerProbe);
        for (var request = 0; request < 10; request++)
        {
            using var response = await client.GetAsync("/health");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(1, relay.Opened(BrokerProbe) - brokerBefore);
        Assert.InRange(relay.Opened(ConsumerProbe) - consumersBefore, 0, 1);
    }
}
