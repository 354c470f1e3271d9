using System.Net;
using Kim.ServiceDefaults;
using Kim.ServiceDefaults.Security;
using Kim.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace Kim.Gateway.Tests;

/// <summary>
/// The gateway logs a request line only for error answers; a forwarded request that succeeded is logged by the
/// service that answered it.
/// </summary>
public sealed class GatewayRequestLogTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task A_forwarded_success_writes_no_line_and_every_refusal_writes_one()
    {
        using var telemetry = new CapturedTelemetry();
        using var host = gateway.WithWebHostBuilder(builder => builder.ConfigureLogging(logging => logging.AddProvider(telemetry)));
        var client = host.CreateClient().WithToken(gateway.SigningKey, "drk", KimRoles.CaseManager, "request-log");

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/tenants/drk/cases?take=1")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/tenants/caritas/cases")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.CreateClient().GetAsync("/api/tenants/drk/documents")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/tenants/nowhere/cases")).StatusCode);

        // Each line is written once its response has left the pipeline.
        await Eventually.TrueAsync(() => Task.FromResult(RequestLines(telemetry).Count >= 3), "the refusals' request lines");
        var lines = RequestLines(telemetry);
        Assert.Equal(3, lines.Count);
        Assert.Contains(lines, line => line.Contains("/api/tenants/caritas/cases", StringComparison.Ordinal) && line.Contains("403", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Contains("/api/tenants/drk/documents", StringComparison.Ordinal) && line.Contains("401", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Contains("/api/tenants/nowhere/cases", StringComparison.Ordinal) && line.Contains("404", StringComparison.Ordinal));
        Assert.DoesNotContain(telemetry.Logs, line => line.Contains("/api/tenants/drk/cases", StringComparison.Ordinal));
    }

    private static List<string> RequestLines(CapturedTelemetry telemetry) =>
        [.. telemetry.Logs.Where(line => line.StartsWith($"Information {RequestLogging.RequestLogCategory}:", StringComparison.Ordinal))];
}
