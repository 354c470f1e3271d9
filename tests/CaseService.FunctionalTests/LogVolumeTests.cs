using System.Net;
using System.Text;
using Kim.CaseService.Infrastructure;
using Kim.ServiceDefaults;
using Kim.ServiceDefaults.Messaging;
using Kim.ServiceDefaults.Security;
using Kim.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Kim.CaseService.FunctionalTests;

/// <summary>
/// What a service logs at Information: nothing per outbox poll, one line per handled request; configuration can
/// bring the framework's detailed lines back.
/// </summary>
[Collection(CaseServiceCollection.Name)]
public sealed class LogVolumeTests(CaseServiceFixture service, ITestOutputHelper output)
{
    [Fact]
    public async Task An_idle_outbox_sweep_logs_nothing_and_a_handled_request_logs_one_line()
    {
        using var telemetry = new CapturedTelemetry();
        using var host = service.Caritas.WithWebHostBuilder(builder => builder.ConfigureLogging(logging => logging.AddProvider(telemetry)));
        var (sweeps, request) = await MeasureAsync(host, telemetry);

        Assert.DoesNotContain(sweeps, IsInformation);
        var requestLines = request.Where(IsInformation).ToList();
        Assert.True(requestLines.Count == 1, $"one line per request, logged:\n{string.Join("\n", requestLines)}");
        Assert.StartsWith($"Information {RequestLogging.RequestLogCategory}:", requestLines[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Configuration_brings_back_every_database_command_and_the_frameworks_request_lines()
    {
        using var telemetry = new CapturedTelemetry();
        using var host = service.Caritas.WithWebHostBuilder(builder =>
        {
            builder.UseSetting($"Logging:LogLevel:{Extensions.EntityFrameworkCommandCategory}", "Information");
            builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore", "Information");
            builder.ConfigureLogging(logging => logging.AddProvider(telemetry));
        });
        var (sweeps, request) = await MeasureAsync(host, telemetry);

        Assert.Contains(sweeps, line => line.StartsWith($"Information {Extensions.EntityFrameworkCommandCategory}:", StringComparison.Ordinal)
            && line.Contains("\"OutboxMessages\"", StringComparison.Ordinal));
        Assert.Contains(request, line => line.StartsWith("Information Microsoft.AspNetCore.Routing.EndpointMiddleware:", StringComparison.Ordinal));
    }

    /// <summary>The lines of three idle outbox sweeps and of one handled read (printed with their size).</summary>
    private async Task<(List<string> Sweeps, List<string> Request)> MeasureAsync(WebApplicationFactory<Program> host, CapturedTelemetry telemetry)
    {
        var client = host.CreateClient().WithToken(service.SigningKey, CaseServiceFixture.Tenant, KimRoles.CaseManager, "log-volume", TimeSpan.FromDays(3000));
        await Eventually.HealthyAsync(client);
        var dispatcher = host.Services.GetRequiredService<OutboxDispatcher<CaseDbContext>>();

        // Rows of other tests that wait for a subscriber may be tried again here: their failures log at Warning.
        var before = telemetry.Logs.Count;
        for (var i = 0; i < 3; i++)
        {
            await dispatcher.DispatchBatchAsync(CancellationToken.None);
        }

        var sweeps = telemetry.Logs.Skip(before).ToList();

        before = telemetry.Logs.Count;
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/tenants/caritas/cases")).StatusCode);
        // The request's line is written once the response has left the pipeline.
        await Eventually.TrueAsync(() => Task.FromResult(telemetry.Logs.Skip(before).Any(line => line.Contains(RequestLogging.RequestLogCategory, StringComparison.Ordinal))),
            "the request's log line");
        var request = telemetry.Logs.Skip(before).ToList();

        output.WriteLine($"three idle sweeps: {sweeps.Count(IsInformation)} lines, {Bytes(sweeps)} bytes at Information");
        output.WriteLine($"one read: {request.Count(IsInformation)} lines, {Bytes(request)} bytes at Information");
        return (sweeps, request);
    }

    private static bool IsInformation(string line) => line.StartsWith("Information ", StringComparison.Ordinal);

    private static int Bytes(IEnumerable<string> lines) => lines.Where(IsInformation).Sum(line => Encoding.UTF8.GetByteCount(line) + 1);
}
