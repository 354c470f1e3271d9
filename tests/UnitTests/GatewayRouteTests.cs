using Kim.Gateway;
using Microsoft.Extensions.Configuration;

namespace Kim.UnitTests;

public sealed class GatewayRouteTests
{
    private static IReadOnlyList<Backend> Backends(params (string Name, string Url)[] services) =>
        GatewayRoutes.DiscoverBackends(new ConfigurationBuilder()
            .AddInMemoryCollection(services.Select(s => new KeyValuePair<string, string?>($"services:{s.Name}:http:0", s.Url)))
            .Build());

    [Fact]
    public void Every_configured_caseservice_is_a_tenant_with_its_own_route_and_cluster()
    {
        var backends = Backends(("caseservice-kommune", "http://127.0.0.1:8110"), ("caseservice-awo", "https://awo.example:8443"),
            ("networkservice", "http://127.0.0.1:8101"), ("reportingservice", "http://127.0.0.1:8102"));

        Assert.Equal(["awo", "kommune"], GatewayRoutes.Tenants(backends));
        var routes = GatewayRoutes.Routes(backends);
        var awo = Assert.Single(routes, r => r.RouteId == "tenant-awo");
        Assert.Equal("/api/tenants/awo/{**rest}", awo.Match.Path);
        Assert.Equal("caseservice-awo", awo.ClusterId);
        Assert.Equal("awo", awo.Metadata![GatewayRoutes.TenantMetadataKey]);
        var cluster = Assert.Single(GatewayRoutes.Clusters(backends), c => c.ClusterId == "caseservice-awo");
        Assert.Equal("https://awo.example:8443", cluster.Destinations!["primary"].Address);
    }

    [Fact]
    public void Api_routes_require_a_token_and_openapi_routes_do_not()
    {
        var routes = GatewayRoutes.Routes(Backends(("caseservice-kommune", "http://a"), ("networkservice", "http://b"), ("reportingservice", "http://c")));

        Assert.All(routes.Where(r => r.Match.Path!.StartsWith("/api/", StringComparison.Ordinal)),
            r => Assert.Equal("authenticated", r.AuthorizationPolicy));
        Assert.All(routes.Where(r => r.Match.Path!.StartsWith("/openapi/", StringComparison.Ordinal)),
            r => Assert.Equal("anonymous", r.AuthorizationPolicy));
        Assert.Contains(routes, r => r.Match.Path == "/openapi/caseservice.json" && r.ClusterId == "caseservice-kommune");
        Assert.Contains(routes, r => r.Match.Path == "/api/network/{**rest}" && r.ClusterId == "networkservice");
        Assert.Contains(routes, r => r.Match.Path == "/api/reports/{**rest}" && r.ClusterId == "reportingservice");
    }

    [Fact]
    public void The_caseservice_document_comes_from_the_coordinating_office_not_from_a_carrier_hosted_instance()
    {
        var backends = Backends(("caseservice-awo", "https://carrier"), ("caseservice-kommune", "http://a"), ("caseservice-caritas", "http://b"));

        Assert.Equal("caseservice-kommune", Assert.Single(GatewayRoutes.Routes(backends, "kommune"), r => r.RouteId == "openapi-caseservice").ClusterId);
        Assert.Equal("caseservice-awo", Assert.Single(GatewayRoutes.Routes(backends), r => r.RouteId == "openapi-caseservice").ClusterId);
    }

    [Fact]
    public void State_api_goes_to_the_state_reporting_service_when_one_is_configured()
    {
        var municipal = GatewayRoutes.Routes(Backends(("reportingservice", "http://c")));
        var withState = GatewayRoutes.Routes(Backends(("reportingservice", "http://c"), ("statereportingservice", "http://d")));

        Assert.Equal("reportingservice", Assert.Single(municipal, r => r.RouteId == "api-state").ClusterId);
        Assert.Equal("statereportingservice", Assert.Single(withState, r => r.RouteId == "api-state").ClusterId);
    }

    [Fact]
    public void The_web_front_end_takes_only_what_no_api_route_takes_and_sees_the_host_people_use()
    {
        var routes = GatewayRoutes.Routes(Backends(("caseservice-kommune", "http://a"), ("networkservice", "http://b"), ("webapp", "http://w")));

        var web = Assert.Single(routes, r => r.ClusterId == "webapp");
        Assert.Equal("/{**rest}", web.Match.Path);
        Assert.Equal("anonymous", web.AuthorizationPolicy);
        Assert.True(routes.Where(r => r != web).All(r => (r.Order ?? 0) < web.Order), "every other route is tried first");
        Assert.Equal("true", Assert.Single(web.Transforms!)["RequestHeaderOriginalHost"]);
        Assert.DoesNotContain(routes, r => r.Match.Path == "/openapi/webapp.json");
    }

    [Fact]
    public void Services_without_an_address_and_the_gateway_itself_are_ignored()
    {
        var backends = Backends(("gateway", "http://127.0.0.1:8080"), ("caseservice-x", ""), ("networkservice", "http://b"));
        Assert.Equal(["networkservice"], backends.Select(b => b.Name));
    }

    [Theory]
    [InlineData("POST", "/api/tenants/caritas/cases/0195a000-0000-7000-8000-000000000001/documents", true)]
    [InlineData("POST", "/faelle/0195a000-0000-7000-8000-000000000001/dokumente", true)]
    [InlineData("GET", "/api/tenants/caritas/cases/0195a000-0000-7000-8000-000000000001/documents", false)]
    [InlineData("POST", "/api/tenants/caritas/cases/0195a000-0000-7000-8000-000000000001/journal", false)]
    [InlineData("POST", "/api/tenants/caritas/cases", false)]
    [InlineData("POST", "/api/tenants/caritas/cases/x/documents/y", false)]
    [InlineData("POST", "/api/network/organisations/documents", false)]
    public void Only_document_uploads_get_the_larger_body_limit(string method, string path, bool document)
    {
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Path = path;
        Assert.Equal(document, GatewayHardening.IsDocumentUpload(context.Request));
    }
}
