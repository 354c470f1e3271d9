using Kim.CaseService.Infrastructure;
using Kim.ServiceDefaults.Security;
using Kim.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Kim.CaseService.FunctionalTests;

/// <summary>A real CaseService host for tenant <c>caritas</c> on its own SQLite file and its own broker virtual host.</summary>
public sealed class CaseServiceFixture : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string Tenant = "caritas";

    private readonly RabbitMqFixture broker = new();
    private readonly TestDirectories directories = new("caseservice");

    public string SigningKey { get; } = DevTokens.NewSigningKey();

    public string PseudonymKey { get; } = DevTokens.NewSigningKey();

    public string MessagingUri { get; private set; } = "";

    public RabbitMqFixture Broker => broker;

    public async Task InitializeAsync()
    {
        await broker.InitializeAsync();
        MessagingUri = await broker.CreateVirtualHostAsync("caseservice");
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Tenant:Id", Tenant);
        builder.UseSetting("Tenant:PseudonymKey", PseudonymKey);
        builder.UseSetting("ConnectionStrings:casedb", $"Data Source={Path.Combine(directories.Path, "caseservice-caritas.db")}");
        builder.UseSetting("ConnectionStrings:messaging", MessagingUri);
        builder.UseSetting("Authentication:DevSigningKey", SigningKey);
        builder.UseSetting("Messaging:Outbox:MaxBackoff", "00:00:01");
    }

    public HttpClient ClientFor(string tenant, string role = KimRoles.CaseManager)
    {
        return CreateClient().WithToken(SigningKey, tenant, role);
    }

    public async Task<T> WithDbAsync<T>(Func<CaseDbContext, Task<T>> query)
    {
        await using var scope = Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<CaseDbContext>());
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await broker.DisposeAsync();
        directories.Dispose();
    }
}
