using Kim.ServiceDefaults;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Yarp.ReverseProxy.Configuration;

namespace Kim.Gateway.Tests;

/// <summary>How the gateway forwards: how long a service may take, and which request headers never reach it.</summary>
public sealed class GatewayForwardingTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    [Fact]
    public void Reporting_services_may_take_longer_than_the_forwarders_100_seconds_and_other_services_keep_them()
    {
        var backends = new[]
        {
            new Backend(ResourceNames.ReportingService, "http://127.0.0.1:8102"),
            new Backend(ResourceNames.StateReportingService, "http://127.0.0.1:8103"),
            new Backend(ResourceNames.CaseService("kommune"), "http://127.0.0.1:8110"),
            new Backend(ResourceNames.NetworkService, "http://127.0.0.1:8101"),
        };

        var configured = GatewayRoutes.Clusters(backends, TimeSpan.FromMinutes(7)).ToDictionary(c => c.ClusterId);
        var byDefault = GatewayRoutes.Clusters(backends).ToDictionary(c => c.ClusterId);

        Assert.Equal(TimeSpan.FromMinutes(7), configured[ResourceNames.ReportingService].HttpRequest?.ActivityTimeout);
        Assert.Equal(TimeSpan.FromMinutes(7), configured[ResourceNames.StateReportingService].HttpRequest?.ActivityTimeout);
        Assert.Equal(new GatewayOptions().ReportTimeout, byDefault[ResourceNames.ReportingService].HttpRequest?.ActivityTimeout);
        Assert.True(new GatewayOptions().ReportTimeout > TimeSpan.FromSeconds(100));
        Assert.Null(configured[ResourceNames.CaseService("kommune")].HttpRequest?.ActivityTimeout);
        Assert.Null(configured[ResourceNames.NetworkService].HttpRequest?.ActivityTimeout);
    }

    [Fact]
    public void The_configured_report_timeout_reaches_the_running_gateways_reporting_cluster()
    {
        using var withReports = gateway.WithWebHostBuilder(builder => builder
            .UseSetting($"services:{ResourceNames.ReportingService}:http:0", gateway.BackendUrl)
            .UseSetting("Gateway:ReportTimeout", "00:15:00"));

        var clusters = withReports.Services.GetRequiredService<IProxyConfigProvider>().GetConfig().Clusters;

        Assert.Equal(TimeSpan.FromMinutes(15), Assert.Single(clusters, c => c.ClusterId == ResourceNames.ReportingService).HttpRequest?.ActivityTimeout);
        Assert.Null(Assert.Single(clusters, c => c.ClusterId == ResourceNames.CaseService("kommune")).HttpRequest?.ActivityTimeout);
    }

    [Fact]
    public void Identity_headers_are_removed_in_any_spelling_and_every_other_header_is_kept()
    {
        var sent = new HeaderDictionary
        {
            ["x-tenant"] = "caritas",
            ["X-USER-ID"] = "1",
            ["X-Kim-Role"] = "operator",
            ["X-Ms-Client-Principal"] = "e30=",
            ["X-Custom"] = "kept",
            ["Accept"] = "application/json",
        };
        using var forwarded = new HttpRequestMessage();
        foreach (var (name, value) in sent)
        {
            forwarded.Headers.TryAddWithoutValidation(name, value.ToString());
        }

        GatewayHardening.RemoveIdentityHeaders(sent, forwarded.Headers);

        Assert.Equal(["Accept", "X-Custom"], forwarded.Headers.Select(h => h.Key).Order(StringComparer.Ordinal));
    }
}
