using System.Net.Http.Headers;
using Kim.Hosting.Broker;
using Kim.PlatformTesting;
using Kim.ServiceDefaults.Security;
using Kim.Testing;

namespace Kim.EndToEnd.Tests;

/// <summary>
/// The whole platform as real processes, started by Aspire from AppHost's model: NetworkService, ReportingService, the
/// CaseServices of <c>kommune</c> and <c>caritas</c>, and the gateway, on free ports, a temporary data folder,
/// its own virtual host of the test broker, and exporting traces to an OTLP receiver in the test.
/// </summary>
public sealed class PlatformFixture : IAsyncLifetime
{
    private readonly RabbitMqFixture broker = new();
    private readonly TestDirectories directories = new("platform");
    private TestPlatform? runner;

    public TestPlatform Platform => runner ?? throw new InvalidOperationException("Not started.");

    public OtlpTraceReceiver Traces { get; } = new(LocalRabbitMqNode.FreePort());

    public string MessagingUri { get; private set; } = "";

    public TimeSpan StartupTime { get; private set; }

    /// <summary>The platform's data folder: SQLite files of every service.</summary>
    public string DataDirectory => directories.Path;

    public async Task InitializeAsync()
    {
        await broker.InitializeAsync();
        MessagingUri = await broker.CreateVirtualHostAsync("e2e");
        var started = System.Diagnostics.Stopwatch.StartNew();
        runner = await TestPlatform.StartAsync(new TestPlatformSettings(directories.Path, MessagingUri, broker.Endpoint.ManagementUri.ToString(), "kommune", "caritas")
        {
            OtlpEndpoint = Traces.Endpoint,
        });
        StartupTime = started.Elapsed;
    }

    /// <summary>A client of the gateway with a development token of the platform.</summary>
    public HttpClient GatewayClient(string? tenant = "caritas", string role = KimRoles.CaseManager, string user = "e2e-user")
    {
        var client = new HttpClient { BaseAddress = Platform.GatewayUrl };
        if (tenant is not null)
        {
            client.WithToken(Platform.DevSigningKey, tenant, role, user);
        }

        return client;
    }

    public async Task DisposeAsync()
    {
        if (runner is not null)
        {
            await runner.DisposeAsync();
        }

        await Traces.DisposeAsync();
        await broker.DisposeAsync();
        directories.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class PlatformCollection : ICollectionFixture<PlatformFixture>
{
    public const string Name = "platform";
}
