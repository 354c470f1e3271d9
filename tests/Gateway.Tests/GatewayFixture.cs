using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Kim.Hosting.Broker;
using Kim.ServiceDefaults.Security;
using Kim.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Hosting;

namespace Kim.Gateway.Tests;

/// <summary>
/// The real gateway in front of a real HTTP backend that stands in for the CaseServices of <c>kommune</c> and
/// <c>caritas</c> and for NetworkService (the services are not under test here): it echoes the headers it got.
/// Rate limits are small so tests can reach them.
/// </summary>
public sealed class GatewayFixture : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const int PermitsPerUser = 5;
    public const int PermitsPerTenant = 8;
    public const int MaxBodyBytes = 4096;

    /// <summary>Each test uses its own tenants, so rate-limit windows of one test do not touch another.</summary>
    public static readonly string[] Tenants = ["kommune", "caritas", "awo", "drk", "diakonie", "paritaet", OddTokenTenant];

    /// <summary>The tenant only the odd-token test sends, so the security events it counts are its own.</summary>
    public const string OddTokenTenant = "odd";

    private WebApplication? backend;
    private MeterListener? listener;

    public string SigningKey { get; } = DevTokens.NewSigningKey();

    public string BackendUrl { get; private set; } = "";

    /// <summary>The backend also stands in for the web front end (the catch-all route); set before the gateway starts.</summary>
    public bool WithWebFrontEndAtBackend { get; set; }

    public ConcurrentQueue<IReadOnlyDictionary<string, string>> ForwardedHeaders { get; } = new();

    /// <summary>Measurements of <c>kim.security.refusals</c>: (reason, tenant).</summary>
    public ConcurrentQueue<(string Reason, string Tenant)> Refusals { get; } = new();

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        BackendUrl = $"http://127.0.0.1:{LocalRabbitMqNode.FreePort()}";
        builder.WebHost.UseUrls(BackendUrl);
        backend = builder.Build();
        backend.Map("/{**path}", (HttpContext context) =>
        {
            ForwardedHeaders.Enqueue(context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase));
            return Results.Json(new { path = context.Request.Path.Value });
        });
        await backend.StartAsync();

        listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Name == "kim.security.refusals")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            var copy = tags.ToArray();
            Refusals.Enqueue((Tag(copy, "reason"), Tag(copy, "tenant")));
        });
        listener.Start();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Authentication:DevSigningKey", SigningKey);
        foreach (var tenant in Tenants)
        {
            builder.UseSetting($"services:caseservice-{tenant}:http:0", BackendUrl);
        }

        builder.UseSetting("services:networkservice:http:0", BackendUrl);
        builder.UseSetting($"services:{Kim.ServiceDefaults.ResourceNames.Identity}:http:0", BackendUrl);
        if (WithWebFrontEndAtBackend)
        {
            builder.UseSetting($"services:{Kim.ServiceDefaults.ResourceNames.WebApp}:http:0", BackendUrl);
        }
        builder.UseSetting("Gateway:PermitsPerUser", PermitsPerUser.ToString());
        builder.UseSetting("Gateway:PermitsPerTenant", PermitsPerTenant.ToString());
        builder.UseSetting("Gateway:MaxRequestBodyBytes", MaxBodyBytes.ToString());
        builder.UseSetting("Gateway:AllowedOrigins:0", "https://kim.kreis-beispiel.de");
    }

    private static string Tag(KeyValuePair<string, object?>[] tags, string key) => tags.FirstOrDefault(t => t.Key == key).Value?.ToString() ?? "";

    public HttpClient ClientFor(string tenant, string user, string role = KimRoles.CaseManager)
    {
        return CreateClient().WithToken(SigningKey, tenant, role, user);
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        listener?.Dispose();
        await DisposeAsync();
        if (backend is not null)
        {
            await backend.DisposeAsync();
        }
    }
}
