using System.Net.Http.Headers;
using Kim.Hosting.Broker;
using Kim.PlatformTesting;
using Kim.ServiceDefaults.Security;
using Kim.Testing;
using Microsoft.Extensions.Configuration;

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

    /// <summary>The carrier-hosted tenant that the office's operator added with <c>add-tenant</c> before the platform started.</summary>
    public const string CarrierTenant = "awo";

    /// <summary>The port the carrier's own CaseService will listen on (its process is started by the test, not by AppHost).</summary>
    public int CarrierPort { get; } = LocalRabbitMqNode.FreePort();

    /// <summary>The carrier's plain loopback endpoint for its own health probes.</summary>
    public int CarrierProbePort { get; } = LocalRabbitMqNode.FreePort();

    /// <summary>The configuration file <c>add-tenant</c> wrote for the carrier, and what the command printed.</summary>
    public string CarrierEnvFile { get; private set; } = "";

    public string AddTenantOutput { get; private set; } = "";

    /// <summary>
    /// A throw-away municipal CA: the carrier's server certificate, and the gateway's client certificate that the carrier
    /// requires. The gateway reaches the carrier over https only, as between two organisations' networks.
    /// </summary>
    public TestCertificates Certificates { get; } = TestCertificates.Create();

    public async Task InitializeAsync()
    {
        await broker.InitializeAsync();
        MessagingUri = await broker.CreateVirtualHostAsync("e2e");
        await AddCarrierTenantAsync();
        var started = System.Diagnostics.Stopwatch.StartNew();
        runner = await TestPlatform.StartAsync(new TestPlatformSettings(directories.Path, MessagingUri, broker.Endpoint.ManagementUri.ToString(), "kommune", "caritas")
        {
            OtlpEndpoint = Traces.Endpoint,
            Environment = new Dictionary<string, string>
            {
                ["Gateway__Backends__CaFile"] = Certificates.CaFile,
                ["Gateway__Backends__ClientCertificateFile"] = Certificates.ClientCertificateFile,
                ["Gateway__Backends__ClientKeyFile"] = Certificates.ClientKeyFile,
            },
        });
        StartupTime = started.Elapsed;
    }

    /// <summary>
    /// As the office's operator does before starting the platform: <c>add-tenant</c> creates the carrier's broker user,
    /// pseudonym key and gateway route and writes the file to hand over (the test broker's plain amqp on the loopback
    /// interface needs <c>--insecure-http</c>; the carrier itself is reached over https).
    /// </summary>
    private async Task AddCarrierTenantAsync()
    {
        var platformConfiguration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Platform:DataDirectory"] = directories.Path,
            ["Platform:Tenants:0"] = "kommune",
            ["Platform:Tenants:1"] = "caritas",
            ["ConnectionStrings:messaging"] = MessagingUri,
            ["RabbitMq:ManagementUri"] = broker.Endpoint.ManagementUri.ToString(),
        }).Build();
        var folder = Path.Combine(directories.Path, "handover");
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await Kim.Cli.AddTenantCommand.RunAsync(
            ["--tenant", CarrierTenant, "--url", $"https://127.0.0.1:{CarrierPort}/", "--out", folder, "--insecure-http"],
            platformConfiguration, output, error, CancellationToken.None);
        if (exit != 0)
        {
            throw new InvalidOperationException($"add-tenant failed ({exit}): {error}");
        }

        AddTenantOutput = output.ToString();
        CarrierEnvFile = Path.Combine(folder, Kim.Cli.AddTenantCommand.EnvFileName(CarrierTenant));
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
        Certificates.Dispose();
        directories.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class PlatformCollection : ICollectionFixture<PlatformFixture>
{
    public const string Name = "platform";
}
