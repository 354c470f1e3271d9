using System.Net;
using System.Net.Http.Json;
using Kim.CaseService.Infrastructure;
using Kim.Hosting.Broker;
using Kim.ServiceDefaults.Messaging;
using Kim.ServiceDefaults.Security;
using Kim.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kim.FaultTests;

/// <summary>A CaseService that starts while its broker does not exist yet: alive, not ready, accepting writes, delivering them once the broker comes.</summary>
public sealed class StartWithoutBrokerTests : IDisposable
{
    private readonly TestDirectories directories = new("nobroker");

    private WebApplicationFactory<Program> CaseService(int amqpPort, string signingKey, string publishTimeout = "00:00:10") =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Development");
            builder.UseSetting("Tenant:Id", "caritas");
            builder.UseSetting("Tenant:PseudonymKey", DevTokens.NewSigningKey());
            builder.UseSetting("ConnectionStrings:casedb", $"Data Source={Path.Combine(directories.Path, "casedb.db")}");
            builder.UseSetting("ConnectionStrings:messaging", $"amqp://guest:guest@127.0.0.1:{amqpPort}/");
            builder.UseSetting("Authentication:DevSigningKey", signingKey);
            builder.UseSetting("Messaging:Outbox:MaxBackoff", "00:00:01");
            builder.UseSetting("Messaging:Outbox:PublishTimeout", publishTimeout);
        });

    private static HttpClient Client(WebApplicationFactory<Program> host, string signingKey)
    {
        return host.CreateClient().WithToken(signingKey, "caritas", KimRoles.CaseManager);
    }

    private static async Task OpenCasesAsync(HttpClient client, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var created = await client.PostAsJsonAsync("/api/tenants/caritas/cases",
                new { client = new { givenName = "Test", familyName = "Person", birthDate = "1990-01-01" }, confirmDuplicate = true });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }
    }

    private static async Task<List<OutboxMessage>> UnsentAsync(WebApplicationFactory<Program> host)
    {
        await using var scope = host.Services.CreateAsyncScope();
        // The catch-up request of the start waits in the outbox for a NetworkService to bind its queue; none runs here.
        return await scope.ServiceProvider.GetRequiredService<CaseDbContext>().OutboxMessages.AsNoTracking()
            .Where(m => m.SentAt == null && !m.MessageType.EndsWith(nameof(Kim.Contracts.Network.Requests.NetworkSnapshotRequested)))
            .ToListAsync();
    }

    /// <summary>Starts a broker on <paramref name="amqpPort"/> and waits until <paramref name="count"/> CaseOpened events arrive, every outbox row is sent and the service is ready.</summary>
    private async Task DeliverWhenTheBrokerComesAsync(WebApplicationFactory<Program> host, int amqpPort, int count)
    {
        await using var node = await LocalRabbitMqNode.StartAsync(Path.Combine(directories.Path, "broker"), "kimlate" + amqpPort, fresh: true, TimeSpan.FromSeconds(90), amqpPort: amqpPort);
        await using var probe = await AmqpProbe.BindAsync(node.Endpoint.AmqpUri.ToString(), "Kim.Contracts.Cases:CaseOpened");
        for (var i = 0; i < count; i++)
        {
            Assert.Contains("caseKey", await probe.NextAsync(TimeSpan.FromSeconds(60)), StringComparison.Ordinal);
        }

        await Eventually.TrueAsync(async () => (await UnsentAsync(host)).Count == 0, "every outbox row marked sent");
        await Eventually.HealthyAsync(host.CreateClient(), TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task Starts_without_broker_accepts_writes_reports_not_ready_and_delivers_when_the_broker_comes()
    {
        var amqpPort = LocalRabbitMqNode.FreePort();
        var signingKey = DevTokens.NewSigningKey();
        await using var host = CaseService(amqpPort, signingKey);
        var client = Client(host, signingKey);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/alive")).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/health")).StatusCode);
        await OpenCasesAsync(client, 5);
        Assert.Equal(5, (await UnsentAsync(host)).Count);

        await DeliverWhenTheBrokerComesAsync(host, amqpPort, 5);
    }

    [Fact]
    public async Task A_publish_cancelled_by_a_connection_timeout_stays_in_the_outbox_and_is_delivered_later()
    {
        // A peer that accepts TCP connections and never speaks AMQP: the publish waits for a connection until its timeout.
        using var blackHole = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        blackHole.Start();
        var amqpPort = ((IPEndPoint)blackHole.LocalEndpoint).Port;
        var accepted = new List<System.Net.Sockets.TcpClient>();
        using var stopAccepting = new CancellationTokenSource();
        var acceptLoop = Task.Run(async () =>
        {
            while (!stopAccepting.IsCancellationRequested)
            {
                try
                {
                    accepted.Add(await blackHole.AcceptTcpClientAsync(stopAccepting.Token));
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        });
        var signingKey = DevTokens.NewSigningKey();
        await using var host = CaseService(amqpPort, signingKey, publishTimeout: "00:00:01");
        var client = Client(host, signingKey);

        await OpenCasesAsync(client, 3);
        var failed = await Eventually.ValueAsync(async () =>
        {
            var rows = await UnsentAsync(host);
            return rows.Count == 3 && rows.All(r => r.Attempts >= 1 && r.LastError is not null) ? rows : null;
        }, "publishes cancelled by the timeout and kept in the outbox");
        Assert.All(failed, row => Assert.Null(row.SentAt));

        await stopAccepting.CancelAsync();
        await acceptLoop;
        blackHole.Stop();
        accepted.ForEach(connection => connection.Dispose());
        await DeliverWhenTheBrokerComesAsync(host, amqpPort, 3);
    }

    public void Dispose() => directories.Dispose();
}
