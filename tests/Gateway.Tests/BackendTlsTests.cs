using System.Net;
using System.Text.Json;
using Kim.Hosting.Broker;
using Kim.ServiceDefaults.Security;
using Kim.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Kim.Gateway.Tests;

/// <summary>
/// Stand-ins for a carrier's CaseService in another organisation's network, served over https: one with a certificate
/// of the municipal CA that requires the gateway's client certificate (as <c>Tenant:Transport:ClientCaFile</c> makes a
/// CaseService do), one with a certificate of a foreign CA. Each counts the requests that reached it.
/// </summary>
public sealed class CarrierBackends : IAsyncLifetime
{
    private readonly List<WebApplication> apps = [];

    public TestCertificates Certificates { get; } = TestCertificates.Create();

    public string MunicipalUrl { get; private set; } = "";

    public string ForeignUrl { get; private set; } = "";

    public int MunicipalRequests;

    public int ForeignRequests;

    public async Task InitializeAsync()
    {
        var municipalCa = TrustedCertificateAuthorities.FromPemFile(Certificates.CaFile);
        MunicipalUrl = await StartAsync(Certificates.ServerCertificateFile, Certificates.ServerKeyFile,
            https => TransportCertificates.RequireClientCertificate(https, municipalCa), () => Interlocked.Increment(ref MunicipalRequests));
        ForeignUrl = await StartAsync(Certificates.ForeignServerCertificateFile, Certificates.ForeignServerKeyFile,
            _ => { }, () => Interlocked.Increment(ref ForeignRequests));
    }

    private async Task<string> StartAsync(string certificateFile, string keyFile, Action<Microsoft.AspNetCore.Server.Kestrel.Https.HttpsConnectionAdapterOptions> configure, Action count)
    {
        var port = LocalRabbitMqNode.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        var certificate = TransportCertificates.LoadWithKey(certificateFile, keyFile);
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port, listen => listen.UseHttps(https =>
        {
            https.ServerCertificate = certificate;
            configure(https);
        })));
        var app = builder.Build();
        app.Map("/{**path}", (HttpContext context) =>
        {
            count();
            return Results.Json(new { path = context.Request.Path.Value, clientCertificate = context.Connection.ClientCertificate?.Subject });
        });
        await app.StartAsync();
        apps.Add(app);
        return $"https://127.0.0.1:{port}";
    }

    public async Task DisposeAsync()
    {
        foreach (var app in apps)
        {
            await app.DisposeAsync();
        }

        Certificates.Dispose();
    }
}

/// <summary>The gateway with <c>Gateway:Backends</c> settings and one carrier tenant at <paramref name="carrierUrl"/>.</summary>
public sealed class TlsGateway(string signingKey, string carrierUrl, IReadOnlyDictionary<string, string> settings) : WebApplicationFactory<Program>
{
    public const string Carrier = "carrier";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Authentication:DevSigningKey", signingKey);
        builder.UseSetting($"services:caseservice-{Carrier}:https:0", carrierUrl);
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
    }
}

/// <summary>
/// The gateway reaches a carrier's CaseService over https only with the carrier's certificate checked against the
/// municipal CA and with its own client certificate; otherwise the request never reaches the carrier (502).
/// </summary>
public sealed class BackendTlsTests(CarrierBackends carriers, ITestOutputHelper output) : IClassFixture<CarrierBackends>
{
    private readonly string signingKey = DevTokens.NewSigningKey();

    private Dictionary<string, string> Municipal(bool clientCertificate = true, string? caFile = null)
    {
        var settings = new Dictionary<string, string> { ["Gateway:Backends:CaFile"] = caFile ?? carriers.Certificates.CaFile };
        if (clientCertificate)
        {
            settings["Gateway:Backends:ClientCertificateFile"] = carriers.Certificates.ClientCertificateFile;
            settings["Gateway:Backends:ClientKeyFile"] = carriers.Certificates.ClientKeyFile;
        }

        return settings;
    }

    private async Task<(HttpStatusCode Status, string Body)> CallCarrierAsync(string carrierUrl, IReadOnlyDictionary<string, string> settings)
    {
        await using var gateway = new TlsGateway(signingKey, carrierUrl, settings);
        var client = gateway.CreateClient().WithToken(signingKey, TlsGateway.Carrier, KimRoles.CaseManager, "tls-user");
        using var response = await client.GetAsync($"/api/tenants/{TlsGateway.Carrier}/cases");
        var body = await response.Content.ReadAsStringAsync();
        output.WriteLine($"{(int)response.StatusCode} {response.Content.Headers.ContentType}: {body}");
        return (response.StatusCode, body);
    }

    [Fact]
    public async Task With_the_municipal_ca_and_its_client_certificate_the_gateway_forwards_to_the_carrier()
    {
        var before = Volatile.Read(ref carriers.MunicipalRequests);
        var (status, body) = await CallCarrierAsync(carriers.MunicipalUrl, Municipal());

        Assert.Equal(HttpStatusCode.OK, status);
        using var json = JsonDocument.Parse(body);
        Assert.Equal("CN=kim-gateway", json.RootElement.GetProperty("clientCertificate").GetString());
        Assert.Equal(before + 1, Volatile.Read(ref carriers.MunicipalRequests));
    }

    [Fact]
    public async Task A_carrier_certificate_from_a_foreign_ca_gets_no_request_and_the_caller_a_502_problem()
    {
        var before = Volatile.Read(ref carriers.ForeignRequests);
        var (status, body) = await CallCarrierAsync(carriers.ForeignUrl, Municipal());

        Assert.Equal(HttpStatusCode.BadGateway, status);
        Assert.Contains("\"status\":502", body, StringComparison.Ordinal);
        Assert.Equal(before, Volatile.Read(ref carriers.ForeignRequests));
    }

    [Fact]
    public async Task Without_a_ca_file_the_system_store_decides_and_the_carriers_private_ca_gets_no_request()
    {
        var before = Volatile.Read(ref carriers.MunicipalRequests);
        var settings = Municipal();
        settings.Remove("Gateway:Backends:CaFile");
        var (status, _) = await CallCarrierAsync(carriers.MunicipalUrl, settings);

        Assert.Equal(HttpStatusCode.BadGateway, status);
        Assert.Equal(before, Volatile.Read(ref carriers.MunicipalRequests));
    }

    [Fact]
    public async Task A_gateway_without_the_municipal_client_certificate_is_refused_by_the_carrier()
    {
        var before = Volatile.Read(ref carriers.MunicipalRequests);
        var (status, _) = await CallCarrierAsync(carriers.MunicipalUrl, Municipal(clientCertificate: false));

        Assert.Equal(HttpStatusCode.BadGateway, status);
        Assert.Equal(before, Volatile.Read(ref carriers.MunicipalRequests));
    }

    [Fact]
    public async Task A_client_certificate_of_a_foreign_ca_is_refused_by_the_carrier()
    {
        var before = Volatile.Read(ref carriers.MunicipalRequests);
        var settings = Municipal();
        settings["Gateway:Backends:ClientCertificateFile"] = carriers.Certificates.ForeignClientCertificateFile;
        settings["Gateway:Backends:ClientKeyFile"] = carriers.Certificates.ForeignClientKeyFile;
        var (status, _) = await CallCarrierAsync(carriers.MunicipalUrl, settings);

        Assert.Equal(HttpStatusCode.BadGateway, status);
        Assert.Equal(before, Volatile.Read(ref carriers.MunicipalRequests));
    }

    [Fact]
    public async Task Plain_http_to_the_carriers_https_port_gets_no_answer()
    {
        using var client = new HttpClient();
        var plain = new UriBuilder(carriers.MunicipalUrl) { Scheme = "http" }.Uri;
        var refused = await Record.ExceptionAsync(() => client.GetAsync(new Uri(plain, $"/api/tenants/{TlsGateway.Carrier}/cases")));
        output.WriteLine($"plain http: {refused?.GetType().Name ?? "answered"}");
        Assert.IsType<HttpRequestException>(refused);
    }
}
