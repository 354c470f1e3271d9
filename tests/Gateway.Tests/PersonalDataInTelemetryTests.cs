using System.Net;
using Kim.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kim.Gateway.Tests;

/// <summary>Query strings carry names and tokens: neither the gateway's logs nor its traces may contain them.</summary>
public sealed class PersonalDataInTelemetryTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private const string Query = "?familyName=Haddad&givenName=Amira&access_token=xyz";
    private static readonly string[] Values = ["Haddad", "Amira", "xyz"];

    [Fact]
    public async Task Query_values_reach_neither_logs_nor_traces_of_the_gateway()
    {
        using var telemetry = new CapturedTelemetry();
        using var host = gateway.WithWebHostBuilder(builder => builder.ConfigureLogging(logging => logging.AddProvider(telemetry)));
        var client = host.CreateClient().WithToken(gateway.SigningKey, "kommune", Kim.ServiceDefaults.Security.KimRoles.CaseManager, "telemetry");

        // Forwarded to a tenant, refused for another tenant, unknown tenant, unknown API path, without a token.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/tenants/kommune/cases" + Query)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/tenants/caritas/cases" + Query)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/tenants/nowhere/cases" + Query)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/nothing-here" + Query)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.CreateClient().GetAsync("/api/tenants/kommune/cases" + Query)).StatusCode);

        // A call of the host's own HTTP clients (service discovery, resilience, logging as every service has them).
        var outgoing = host.Services.GetRequiredService<IHttpClientFactory>().CreateClient("telemetry-test");
        Assert.Equal(HttpStatusCode.OK, (await outgoing.GetAsync(gateway.BackendUrl + "/echo" + Query)).StatusCode);

        Assert.Contains(telemetry.Logs, line => line.Contains("/api/tenants/kommune/cases", StringComparison.Ordinal));
        Assert.Contains(telemetry.Spans, line => line.Contains("/api/tenants/kommune/cases", StringComparison.Ordinal));
        foreach (var value in Values)
        {
            var leaks = telemetry.Logs.Concat(telemetry.Spans).Where(line => line.Contains(value, StringComparison.Ordinal)).ToList();
            Assert.True(leaks.Count == 0, $"'{value}' appears in:\n{string.Join("\n", leaks)}");
        }
    }
}
