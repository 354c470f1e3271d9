using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Serialization;
using Kim.Cli;
using Kim.Hosting;
using Kim.Hosting.Broker;
using Kim.ServiceDefaults;
using Kim.Testing;
using Microsoft.Extensions.Configuration;
using RabbitMQ.Client;
using Xunit.Abstractions;

namespace Kim.AppHost.Tests;

/// <summary>
/// <c>add-tenant</c> against a real broker: the carrier's broker user gets exactly the rights of its CaseService and
/// connects with the written URI, the file holds everything the carrier's CaseService needs, AppHost routes the
/// tenant from the persisted file, and every refusal leaves no user, no file and no route.
/// </summary>
public sealed class AddTenantCommandTests(RabbitMqFixture broker, ITestOutputHelper output) : IClassFixture<RabbitMqFixture>, IDisposable
{
    private static readonly string[] RequiredKeys =
    [
        "ASPNETCORE_ENVIRONMENT", "ASPNETCORE_URLS", "Tenant__Id", "Tenant__PseudonymKey", "Tenant__CoordinatingTenant",
        "ConnectionStrings__messaging", "ConnectionStrings__casedb", "Database__MigrateOnStartup",
        "Authentication__Authority", "Authentication__Audience",
    ];

    private readonly TestDirectories directories = new("add-tenant");

    private string Data => Path.Combine(directories.Path, "data");

    private string Out => Path.Combine(directories.Path, "handover");

    private string RoutesFile => ExternalTenantsFile.PathIn(Data);

    private IConfiguration Platform(params (string Key, string Value)[] more) => new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Platform:DataDirectory"] = Data,
            ["Platform:Tenants:0"] = "kommune",
            ["Platform:Tenants:1"] = "caritas",
            ["Platform:CoordinatingTenant"] = "kommune",
        }.Concat(more.Select(m => KeyValuePair.Create(m.Key, (string?)m.Value))))
        .Build();

    private async Task<(string VirtualHost, string[] Arguments)> ArgumentsAsync(string tenant)
    {
        var admin = new Uri(await broker.CreateVirtualHostAsync("carrier"));
        var virtualHost = Uri.UnescapeDataString(admin.AbsolutePath.TrimStart('/'));
        var messaging = new UriBuilder(admin) { UserName = "", Password = "" }.Uri.ToString();
        return (virtualHost,
        [
            "--tenant", tenant, "--url", "http://127.0.0.1:9443/", "--insecure-http",
            "--messaging", messaging, "--management", broker.Endpoint.ManagementUri.ToString(),
            "--authority", "http://127.0.0.1:8080/identity/", "--out", Out,
        ]);
    }

    private async Task<(int Exit, string Output, string Error)> RunAsync(string[] arguments, IConfiguration? platform = null)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var exit = await AddTenantCommand.RunAsync(arguments, platform ?? Platform(), stdout, stderr, CancellationToken.None);
        output.WriteLine($"exit {exit}\n{stdout}{stderr}");
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Adds_a_carrier_hosted_tenant_with_its_own_least_rights_broker_user_key_file_and_route()
    {
        var (virtualHost, arguments) = await ArgumentsAsync("awo");
        var user = BrokerAccess.UserName(ResourceNames.CaseService("awo"), virtualHost);
        try
        {
            var (exit, printed, _) = await RunAsync(arguments);

            Assert.Equal(0, exit);
            Assert.Contains("after the next start of the platform", printed, StringComparison.Ordinal);

            // The file to hand over: every key, a usable pseudonym key, owner-only.
            var file = Path.Combine(Out, "caseservice-awo.env");
            var settings = EnvFile(file);
            output.WriteLine((await File.ReadAllTextAsync(file))
                .Replace(settings["Tenant__PseudonymKey"], "<redacted>", StringComparison.Ordinal)
                .Replace(new Uri(settings["ConnectionStrings__messaging"]).UserInfo.Split(':')[1], "<redacted>", StringComparison.Ordinal));
            Assert.All(RequiredKeys, key => Assert.False(string.IsNullOrWhiteSpace(settings.GetValueOrDefault(key)), $"{key} is missing"));
            Assert.Equal("awo", settings["Tenant__Id"]);
            Assert.Equal("kommune", settings["Tenant__CoordinatingTenant"]);
            Assert.Equal("Production", settings["ASPNETCORE_ENVIRONMENT"]);
            var key = Convert.FromBase64String(settings["Tenant__PseudonymKey"]);
            output.WriteLine($"pseudonym key: {key.Length} bytes; file mode {File.GetUnixFileMode(file)}");
            Assert.True(key.Length >= 32);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            Assert.DoesNotContain(settings["Tenant__PseudonymKey"], printed, StringComparison.Ordinal);

            // The broker user: exactly the rights of the tenant's CaseService, and it connects with the written URI.
            var expected = BrokerAccess.For(ResourceNames.CaseService("awo"));
            var actual = await PermissionsAsync(virtualHost, user);
            Assert.Equal(new BrokerPermissions(expected.Configure, expected.Write, expected.Read), actual);
            var messaging = new Uri(settings["ConnectionStrings__messaging"]);
            Assert.Equal(user, Uri.UnescapeDataString(messaging.UserInfo.Split(':')[0]));
            Assert.DoesNotContain(messaging.UserInfo.Split(':')[1], printed, StringComparison.Ordinal);
            await using (var connection = await new ConnectionFactory { Uri = messaging }.CreateConnectionAsync())
            await using (var channel = await connection.CreateChannelAsync())
            {
                await channel.QueueDeclareAsync("caseservice-awo-probe", durable: false, exclusive: true, autoDelete: true);
            }

            // The route: AppHost reads it on its next start, and provisions no user of its own for the tenant.
            var options = PlatformOptions.From(new ConfigurationManager { ["Platform:DataDirectory"] = Data });
            Assert.Equal("http://127.0.0.1:9443/", options.ExternalTenants["awo"]);
            options.Validate();
            Assert.DoesNotContain(ResourceNames.CaseService("awo"), KimPlatform.ServiceNames(options));

            // Running it again for the same tenant is refused and changes nothing.
            var before = await File.ReadAllTextAsync(file);
            var again = await RunAsync(arguments);
            Assert.Equal(1, again.Exit);
            Assert.Contains("already a carrier-hosted tenant", again.Error, StringComparison.Ordinal);
            Assert.Equal(before, await File.ReadAllTextAsync(file));
            Assert.Equal(actual, await PermissionsAsync(virtualHost, user));
        }
        finally
        {
            await DeleteUserAsync(user);
        }
    }

    [Theory]
    [InlineData("invalid name", "not a valid tenant name")]
    [InlineData("internal tenant", "already a tenant the platform runs itself")]
    [InlineData("external tenant", "already a carrier-hosted tenant")]
    [InlineData("http without the flag", "is not https")]
    [InlineData("amqp without the flag", "must be amqps")]
    [InlineData("unreachable broker", "does not answer")]
    [InlineData("missing virtual host", "no virtual host")]
    public async Task A_refusal_changes_nothing(string refusal, string reason)
    {
        var tenant = refusal switch
        {
            "invalid name" => "Awo",
            "internal tenant" => "caritas",
            _ => "awo",
        };
        var (virtualHost, arguments) = await ArgumentsAsync(tenant);
        var platform = Platform();
        switch (refusal)
        {
            case "external tenant":
                platform = Platform(("Platform:ExternalTenants:awo", "https://kim.awo.example/"));
                break;
            case "http without the flag":
            case "amqp without the flag":
                arguments = [.. arguments.Where(a => a != "--insecure-http")];
                if (refusal == "amqp without the flag")
                {
                    arguments = Replace(arguments, "--url", "https://kim.awo.example/");
                    arguments = Replace(arguments, "--authority", "https://kim.kommune.example/identity/");
                }

                break;
            case "unreachable broker":
                arguments = Replace(arguments, "--management", $"http://guest:guest@127.0.0.1:{LocalRabbitMqNode.FreePort()}/");
                break;
            case "missing virtual host":
                arguments = Replace(arguments, "--messaging", new UriBuilder(broker.Endpoint.AmqpUri) { UserName = "", Password = "", Path = "/no-such-vhost" }.Uri.ToString());
                break;
        }

        var (exit, _, error) = await RunAsync(arguments, platform);

        Assert.Equal(1, exit);
        Assert.Contains("nothing was changed", error, StringComparison.Ordinal);
        Assert.Contains(reason, error, StringComparison.Ordinal);
        Assert.DoesNotContain("guest@", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Out) && Directory.EnumerateFileSystemEntries(Out).Any(), "a file was written");
        Assert.False(File.Exists(RoutesFile), "a route was registered");
        Assert.False(await UserExistsAsync(BrokerAccess.UserName(ResourceNames.CaseService(tenant), virtualHost)), "a broker user was created");
    }

    [Fact]
    public void AppHost_reads_the_persisted_routes_below_its_own_configuration()
    {
        ExternalTenantsFile.Add(RoutesFile, "awo", "https://kim.awo.example/");
        ExternalTenantsFile.Add(RoutesFile, "drk", "https://kim.drk.example:8443/");

        var persisted = PlatformOptions.From(new ConfigurationManager { ["Platform:DataDirectory"] = Data });
        var overridden = PlatformOptions.From(new ConfigurationManager
        {
            ["Platform:DataDirectory"] = Data,
            ["Platform:ExternalTenants:drk"] = "https://kim-neu.drk.example/",
        });

        Assert.Equal(new Dictionary<string, string> { ["awo"] = "https://kim.awo.example/", ["drk"] = "https://kim.drk.example:8443/" }, persisted.ExternalTenants);
        Assert.Equal("https://kim-neu.drk.example/", overridden.ExternalTenants["drk"]);
        Assert.Empty(PlatformOptions.From(new ConfigurationManager { ["Platform:DataDirectory"] = Path.Combine(directories.Path, "empty") }).ExternalTenants);
    }

    [Fact]
    public void The_command_knows_AppHosts_default_tenants() =>
        Assert.Equal(PlatformOptions.DefaultTenants, AddTenantCommand.DefaultTenants);

    private static string[] Replace(string[] arguments, string option, string value)
    {
        var copy = arguments.ToArray();
        copy[Array.IndexOf(copy, option) + 1] = value;
        return copy;
    }

    private static Dictionary<string, string> EnvFile(string path) =>
        File.ReadAllLines(path)
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split('=', 2))
            .ToDictionary(parts => parts[0], parts => parts[1], StringComparer.Ordinal);

    private HttpClient Management()
    {
        var uri = broker.Endpoint.ManagementUri;
        var http = new HttpClient { BaseAddress = new Uri(uri.GetLeftPart(UriPartial.Authority) + "/") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(uri.UserInfo))));
        return http;
    }

    private async Task<BrokerPermissions> PermissionsAsync(string virtualHost, string user)
    {
        using var http = Management();
        var permissions = await http.GetFromJsonAsync<Permissions>($"api/permissions/{Uri.EscapeDataString(virtualHost)}/{Uri.EscapeDataString(user)}");
        return new BrokerPermissions(permissions!.Configure, permissions.Write, permissions.Read);
    }

    private async Task<bool> UserExistsAsync(string user)
    {
        using var http = Management();
        using var response = await http.GetAsync($"api/users/{Uri.EscapeDataString(user)}");
        return response.StatusCode != HttpStatusCode.NotFound;
    }

    private async Task DeleteUserAsync(string user)
    {
        using var http = Management();
        using var response = await http.DeleteAsync($"api/users/{Uri.EscapeDataString(user)}");
    }

    public void Dispose() => directories.Dispose();

    private sealed record Permissions(
        [property: JsonPropertyName("configure")] string Configure,
        [property: JsonPropertyName("write")] string Write,
        [property: JsonPropertyName("read")] string Read);
}

/// <summary>AppHost's own start-up (its entry point, as <c>dotnet run --project src/AppHost</c> runs it) models a tenant that <c>add-tenant</c> registered.</summary>
public sealed class PersistedTenantModelTests : IDisposable
{
    private readonly TestDirectories directories = new("persisted-tenant");

    [Fact]
    public async Task A_registered_carrier_tenant_is_an_external_service_the_gateway_references()
    {
        ExternalTenantsFile.Add(ExternalTenantsFile.PathIn(directories.Path), "awo", "https://kim.awo.example:8443/");

        await using var builder = await Aspire.Hosting.Testing.DistributedApplicationTestingBuilder.CreateAsync(typeof(PlatformOptions),
            [$"--Platform:DataDirectory={directories.Path}", "--ConnectionStrings:messaging=", "--Platform:Tenants:0=kommune", "--Platform:Tenants:1=caritas", "--Platform:Tenants:2="],
            (options, _) => options.DisableDashboard = true);

        var awo = builder.Resources.Single(r => r.Name == ResourceNames.CaseService("awo"));
        var gateway = builder.Resources.Single(r => r.Name == ResourceNames.Gateway);
        Assert.IsNotType<Aspire.Hosting.ApplicationModel.ProjectResource>(awo);
        Assert.Contains(gateway.Annotations.OfType<Aspire.Hosting.ApplicationModel.ResourceRelationshipAnnotation>(), a => a.Resource == awo);
    }

    public void Dispose() => directories.Dispose();
}
