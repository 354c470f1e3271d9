using Kim.ServiceDefaults;

namespace Kim.AppHost.Tests;

public sealed class PlatformModelTests
{
    private static readonly string SigningKey = Kim.ServiceDefaults.Security.DevTokens.NewSigningKey();
    private static readonly PlatformInputs Inputs = new("amqp://guest:guest@127.0.0.1:5672/", "/data", SigningKey, tenant => "pseudonym-" + tenant);

    private static Dictionary<string, ServiceResource> Build(PlatformOptions options) =>
        PlatformModel.Build(options, Inputs).ToDictionary(r => r.Name);

    [Fact]
    public void The_state_reporting_service_runs_in_state_mode_with_its_own_database_and_the_gateway_knows_it()
    {
        var resources = PlatformModel.Build(new PlatformOptions { DataDirectory = "/data" }, Inputs);
        var state = resources.Single(r => r.Name == "statereportingservice");
        var municipal = resources.Single(r => r.Name == "reportingservice");

        Assert.Equal("State", state.Environment["Reporting__Mode"]);
        Assert.False(municipal.Environment.ContainsKey("Reporting__Mode"));
        Assert.NotEqual(municipal.Environment["ConnectionStrings__reportingdb"], state.Environment["ConnectionStrings__reportingdb"]);
        Assert.Equal("http://127.0.0.1:8103", resources.Single(r => r.Name == "gateway").Environment["services__statereportingservice__http__0"]);
        Assert.Equal("http://127.0.0.1:8103", municipal.Environment["services__statereportingservice__http__0"]);
        Assert.True(municipal.Environment.ContainsKey("Reporting__Municipality__StateToken"));
        Assert.DoesNotContain(PlatformModel.Build(new PlatformOptions { DataDirectory = "/data", StateReportingServicePort = 0 }, Inputs), r => r.Name == "statereportingservice");
    }

    [Fact]
    public void Default_platform_has_one_case_service_per_default_tenant_and_the_gateway_last()
    {
        var resources = PlatformModel.Build(new PlatformOptions(), Inputs);

        Assert.Equal(
            ["networkservice", "reportingservice", "statereportingservice", "caseservice-kommune", "caseservice-caritas", "caseservice-diakonie", "gateway"],
            resources.Select(r => r.Name));
        Assert.Equal(["http://127.0.0.1:8101/", "http://127.0.0.1:8102/", "http://127.0.0.1:8103/", "http://127.0.0.1:8110/", "http://127.0.0.1:8111/", "http://127.0.0.1:8112/", "http://127.0.0.1:8080/"],
            resources.Select(r => r.Url.ToString()));
    }

    [Fact]
    public void Each_case_service_gets_its_tenant_its_own_secret_and_its_own_database_file()
    {
        var resources = Build(new PlatformOptions { Tenants = ["kommune", "awo"] });

        var awo = resources["caseservice-awo"].Environment;
        Assert.Equal("awo", awo["Tenant__Id"]);
        Assert.Equal("pseudonym-awo", awo["Tenant__PseudonymKey"]);
        Assert.Equal($"Data Source={Path.Combine("/data", "caseservice-awo", "casedb.db")}", awo["ConnectionStrings__casedb"]);
        Assert.NotEqual(resources["caseservice-kommune"].Environment["ConnectionStrings__casedb"], awo["ConnectionStrings__casedb"]);
        Assert.Equal("caseservice-awo", awo["OTEL_SERVICE_NAME"]);
        Assert.Equal("http://127.0.0.1:8111", awo["ASPNETCORE_URLS"]);
    }

    [Fact]
    public void Services_get_the_broker_and_the_signing_key_in_aspire_conventions()
    {
        foreach (var resource in PlatformModel.Build(new PlatformOptions(), Inputs).Where(r => r.Name != ResourceNames.Gateway))
        {
            Assert.Equal(Inputs.MessagingConnectionString, resource.Environment["ConnectionStrings__messaging"]);
            Assert.Equal(SigningKey, resource.Environment["Authentication__DevSigningKey"]);
            Assert.Equal("Development", resource.Environment["ASPNETCORE_ENVIRONMENT"]);
            Assert.Equal("true", resource.Environment["Database__MigrateOnStartup"]);
        }
    }

    [Fact]
    public void Gateway_discovers_every_backend_and_external_tenants_but_gets_no_broker()
    {
        var gateway = Build(new PlatformOptions { ExternalTenants = { ["awo"] = "https://cm.awo.example/" } })["gateway"].Environment;

        Assert.Equal("http://127.0.0.1:8101", gateway["services__networkservice__http__0"]);
        Assert.Equal("http://127.0.0.1:8102", gateway["services__reportingservice__http__0"]);
        Assert.Equal("http://127.0.0.1:8110", gateway["services__caseservice-kommune__http__0"]);
        Assert.Equal("http://127.0.0.1:8112", gateway["services__caseservice-diakonie__http__0"]);
        Assert.Equal("https://cm.awo.example", gateway["services__caseservice-awo__http__0"]);
        Assert.False(gateway.ContainsKey("ConnectionStrings__messaging"));
        Assert.False(gateway.ContainsKey("Tenant__PseudonymKey"));
    }

    [Fact]
    public void Only_ReportingService_gets_the_management_api_for_queue_monitoring()
    {
        var resources = PlatformModel.Build(new PlatformOptions(), Inputs with { ManagementUri = "http://guest:guest@127.0.0.1:15672/" });

        Assert.Equal("http://guest:guest@127.0.0.1:15672/", resources.Single(r => r.Name == ResourceNames.ReportingService).Environment["RabbitMq__ManagementUri"]);
        Assert.All(resources.Where(r => r.Name != ResourceNames.ReportingService), r => Assert.False(r.Environment.ContainsKey("RabbitMq__ManagementUri")));
    }

    [Fact]
    public void Extra_environment_reaches_every_child()
    {
        var resources = PlatformModel.Build(new PlatformOptions { Environment = { ["Gateway__PermitsPerUser"] = "50" } }, Inputs);

        Assert.All(resources, r => Assert.Equal("50", r.Environment["Gateway__PermitsPerUser"]));
    }

    [Fact]
    public void External_tenants_get_no_process()
    {
        var names = Build(new PlatformOptions { ExternalTenants = { ["awo"] = "https://cm.awo.example" } }).Keys;
        Assert.DoesNotContain("caseservice-awo", names);
    }

    [Fact]
    public void Telemetry_is_exported_only_when_an_endpoint_is_configured()
    {
        Assert.All(PlatformModel.Build(new PlatformOptions(), Inputs), r => Assert.False(r.Environment.ContainsKey("OTEL_EXPORTER_OTLP_ENDPOINT")));
        Assert.All(PlatformModel.Build(new PlatformOptions { OtlpEndpoint = "http://127.0.0.1:4318" }, Inputs), r =>
        {
            Assert.Equal("http://127.0.0.1:4318", r.Environment["OTEL_EXPORTER_OTLP_ENDPOINT"]);
            Assert.Equal("http/protobuf", r.Environment["OTEL_EXPORTER_OTLP_PROTOCOL"]);
        });
    }

    [Theory]
    [InlineData("Caritas")]
    [InlineData("../kommune")]
    [InlineData("a")]
    [InlineData("caritas-")]
    [InlineData("1caritas")]
    [InlineData("cari tas")]
    public void Invalid_tenant_names_are_refused(string tenant)
    {
        var error = Assert.Throws<ArgumentException>(() => PlatformModel.Build(new PlatformOptions { Tenants = [tenant] }, Inputs));
        Assert.Contains(tenant, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tenant_configured_twice_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            PlatformModel.Build(new PlatformOptions { Tenants = ["caritas"], ExternalTenants = { ["caritas"] = "http://x" } }, Inputs));
        Assert.Contains("caritas", error.Message, StringComparison.Ordinal);
    }
}
