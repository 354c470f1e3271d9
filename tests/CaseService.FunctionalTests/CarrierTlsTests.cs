using System.Net;
using Kim.ServiceDefaults.Security;
using Kim.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Xunit.Abstractions;

namespace Kim.CaseService.FunctionalTests;

/// <summary>
/// A carrier's CaseService as the carrier runs it: on Kestrel with an https endpoint from <c>Kestrel:Endpoints</c>
/// (certificate of the municipal CA), <c>Tenant:Transport:ClientCaFile</c> set, and a plain http endpoint on the
/// loopback interface for the carrier's own probes.
/// </summary>
public sealed class CarrierTlsFixture : WebApplicationFactory<Program>, IAsyncLifetime
{
    private readonly RabbitMqFixture broker = new();
    private readonly TestDirectories directories = new("carrier-tls");
    private string messagingUri = "";

    public TestCertificates Certificates { get; } = TestCertificates.Create();

    public string SigningKey { get; } = DevTokens.NewSigningKey();

    public int HttpsPort { get; } = Kim.Hosting.Broker.LocalRabbitMqNode.FreePort();

    public int LocalPort { get; private set; }

    public async Task InitializeAsync()
    {
        LocalPort = Kim.Hosting.Broker.LocalRabbitMqNode.FreePort(HttpsPort);
        await broker.InitializeAsync();
        messagingUri = await broker.CreateVirtualHostAsync("carrier-tls");
        UseKestrel();
        StartServer();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Tenant:Id", CaseServiceFixture.Tenant);
        builder.UseSetting("Tenant:PseudonymKey", DevTokens.NewSigningKey());
        builder.UseSetting("Tenant:CoordinatingTenant", CaseServiceFixture.CoordinatingTenant);
        builder.UseSetting("ConnectionStrings:casedb", $"Data Source={Path.Combine(directories.Path, "carrier.db")}");
        builder.UseSetting("ConnectionStrings:messaging", messagingUri);
        builder.UseSetting("Authentication:DevSigningKey", SigningKey);
        builder.UseSetting("Kestrel:Endpoints:Https:Url", $"https://127.0.0.1:{HttpsPort}");
        builder.UseSetting("Kestrel:Endpoints:Https:Certificate:Path", Certificates.ServerCertificateFile);
        builder.UseSetting("Kestrel:Endpoints:Https:Certificate:KeyPath", Certificates.ServerKeyFile);
        builder.UseSetting("Kestrel:Endpoints:Local:Url", $"http://127.0.0.1:{LocalPort}");
        builder.UseSetting("Tenant:Transport:ClientCaFile", Certificates.CaFile);
    }

    /// <summary>A client that trusts the municipal CA for the server and shows <paramref name="certificateFile"/> when given.</summary>
    public HttpClient Client(string? certificateFile = null, string? keyFile = null)
    {
        var authorities = TrustedCertificateAuthorities.FromPemFile(Certificates.CaFile);
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = TransportCertificates.ServerValidation(authorities);
        if (certificateFile is not null && keyFile is not null)
        {
            var certificate = TransportCertificates.LoadWithKey(certificateFile, keyFile);
            handler.SslOptions.LocalCertificateSelectionCallback = (_, _, _, _, _) => certificate;
        }

        return new HttpClient(handler) { BaseAddress = new Uri($"https://127.0.0.1:{HttpsPort}") }
            .WithToken(SigningKey, CaseServiceFixture.Tenant, KimRoles.CaseManager, "carrier-user", TimeSpan.FromHours(1));
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await broker.DisposeAsync();
        directories.Dispose();
        Certificates.Dispose();
    }
}

/// <summary>Only the municipal gateway's client certificate gets a carrier's CaseService to answer its API.</summary>
public sealed class CarrierTlsTests(CarrierTlsFixture carrier, ITestOutputHelper output) : IClassFixture<CarrierTlsFixture>
{
    private const string Cases = $"/api/tenants/{CaseServiceFixture.Tenant}/cases";

    [Fact]
    public async Task With_the_municipal_client_certificate_the_api_answers()
    {
        using var client = carrier.Client(carrier.Certificates.ClientCertificateFile, carrier.Certificates.ClientKeyFile);
        using var response = await client.GetAsync(Cases);
        output.WriteLine($"municipal client certificate: {(int)response.StatusCode}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Without_a_client_certificate_the_handshake_fails()
    {
        using var client = carrier.Client();
        var refused = await Record.ExceptionAsync(() => client.GetAsync(Cases));
        output.WriteLine($"no client certificate: {refused?.GetType().Name ?? "answered"}");
        Assert.IsType<HttpRequestException>(refused);
    }

    [Fact]
    public async Task A_client_certificate_of_a_foreign_ca_fails_the_handshake()
    {
        using var client = carrier.Client(carrier.Certificates.ForeignClientCertificateFile, carrier.Certificates.ForeignClientKeyFile);
        var refused = await Record.ExceptionAsync(() => client.GetAsync(Cases));
        output.WriteLine($"foreign client certificate: {refused?.GetType().Name ?? "answered"}");
        Assert.IsType<HttpRequestException>(refused);
    }

    [Fact]
    public async Task Plain_http_to_the_https_port_gets_no_answer()
    {
        using var client = new HttpClient();
        var refused = await Record.ExceptionAsync(() => client.GetAsync($"http://127.0.0.1:{carrier.HttpsPort}{Cases}"));
        output.WriteLine($"plain http to the https port: {refused?.GetType().Name ?? "answered"}");
        Assert.IsType<HttpRequestException>(refused);
    }

    [Fact]
    public async Task The_loopback_http_endpoint_answers_health_but_never_the_api()
    {
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{carrier.LocalPort}") }
            .WithToken(carrier.SigningKey, CaseServiceFixture.Tenant, KimRoles.CaseManager, "carrier-user", TimeSpan.FromHours(1));
        using var alive = await client.GetAsync("/alive");
        using var api = await client.GetAsync(Cases);
        output.WriteLine($"loopback http: /alive {(int)alive.StatusCode}, API {(int)api.StatusCode}");
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, api.StatusCode);
    }
}
