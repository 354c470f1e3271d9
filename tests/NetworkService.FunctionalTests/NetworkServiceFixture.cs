using Kim.ServiceDefaults.Security;
using Kim.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Kim.NetworkService.FunctionalTests;

/// <summary>A real NetworkService host on its own SQLite file and broker virtual host.</summary>
public sealed class NetworkServiceFixture : WebApplicationFactory<Program>, IAsyncLifetime
{
    private readonly RabbitMqFixture broker = new();
    private readonly TestDirectories directories = new("networkservice");

    public string SigningKey { get; } = DevTokens.NewSigningKey();

    public string MessagingUri { get; private set; } = "";

    public async Task InitializeAsync()
    {
        await broker.InitializeAsync();
        MessagingUri = await broker.CreateVirtualHostAsync("networkservice");
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("ConnectionStrings:networkdb", $"Data Source={Path.Combine(directories.Path, "networkservice.db")}");
        builder.UseSetting("ConnectionStrings:messaging", MessagingUri);
        builder.UseSetting("Authentication:DevSigningKey", SigningKey);
    }

    public HttpClient ClientFor(string role = KimRoles.Coordinator)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer",
            DevTokens.Create(SigningKey, "kommune", role, "test-user", DateTime.UtcNow, TimeSpan.FromMinutes(30)));
        return client;
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await broker.DisposeAsync();
        directories.Dispose();
    }
}
