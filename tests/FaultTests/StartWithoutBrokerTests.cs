using System.Net;
using System.Net.Http.Json;
using Kim.AppHost.Broker;
using Kim.CaseService.Infrastructure;
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

    [Fact]
    public async Task Starts_without_broker_accepts_writes_reports_not_ready_and_delivers_when_the_broker_comes()
    {
        var amqpPort = LocalRabbitMqNode.FreePort();
        var signingKey = DevTokens.NewSigningKey();
        await using var host = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Development");
            builder.UseSetting("Tenant:Id", "caritas");
            builder.UseSetting("Tenant:PseudonymKey", DevTokens.NewSigningKey());
            builder.UseSetting("ConnectionStrings:casedb", $"Data Source={Path.Combine(directories.Path, "casedb.db")}");
            builder.UseSetting("ConnectionStrings:messaging", $"amqp://guest:guest@127.0.0.1:{amqpPort}/");
            builder.UseSetting("Authentication:DevSigningKey", signingKey);
            builder.UseSetting("Messaging:Outbox:MaxBackoff", "00:00:01");
        });
        var client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer",
            DevTokens.Create(signingKey, "caritas", KimRoles.CaseManager, "test-user", DateTime.UtcNow, TimeSpan.FromMinutes(10)));

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/alive")).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/health")).StatusCode);
        for (var i = 0; i < 5; i++)
        {
            var created = await client.PostAsJsonAsync("/api/tenants/caritas/cases",
                new { client = new { givenName = "Test", familyName = "Person", birthDate = "1990-01-01" } });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        async Task<int> UnsentAsync()
        {
            await using var scope = host.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<CaseDbContext>().OutboxMessages.CountAsync(m => m.SentAt == null);
        }

        Assert.Equal(5, await UnsentAsync());

        await using var node = await LocalRabbitMqNode.StartAsync(Path.Combine(directories.Path, "broker"), "kimlate" + amqpPort, fresh: true, TimeSpan.FromSeconds(90), amqpPort: amqpPort);
        await using var probe = await AmqpProbe.BindAsync(node.Endpoint.AmqpUri.ToString(), "Kim.Contracts.Cases:CaseOpened");
        for (var i = 0; i < 5; i++)
        {
            Assert.Contains("caseKey", await probe.NextAsync(TimeSpan.FromSeconds(60)), StringComparison.Ordinal);
        }

        await Eventually.TrueAsync(async () => await UnsentAsync() == 0, "every outbox row marked sent");
        await Eventually.HealthyAsync(client, TimeSpan.FromSeconds(60));
    }

    public void Dispose() => directories.Dispose();
}
