using System.Diagnostics;
using System.Text.Json.Nodes;
using Kim.Hosting;
using Kim.Testing;

namespace Kim.AppHost.Tests;

/// <summary>
/// The Aspire manifest that deployment tools consume, written by AppHost's own publisher: every resource with its
/// wiring, and secrets only as parameters.
/// </summary>
public sealed class ManifestTests : IAsyncLifetime
{
    private readonly TestDirectories directories = new("manifest");
    private JsonObject resources = null!;

    public async Task InitializeAsync()
    {
        var manifest = Path.Combine(directories.Path, "aspire-manifest.json");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[]
        {
            typeof(PlatformOptions).Assembly.Location, "--publisher", "manifest", "--output-path", manifest,
            $"--Platform:DataDirectory={directories.Path}", "--Platform:ExternalTenants:awo=https://cm.awo.example/",
        })
        {
            start.ArgumentList.Add(argument);
        }

        using var publisher = Process.Start(start)!;
        var output = new OutputTail(100);
        output.Attach(publisher);
        await publisher.WaitForExitAsync();
        Assert.True(publisher.ExitCode == 0, output.ToString());
        resources = JsonNode.Parse(await File.ReadAllTextAsync(manifest))!["resources"]!.AsObject();
    }

    private JsonObject Environment(string resource) => resources[resource]!["env"]!.AsObject();

    [Fact]
    public void Names_every_resource_of_the_platform()
    {
        string[] expected =
        [
            "messaging", "networkservice", "reportingservice", "statereportingservice",
            "caseservice-kommune", "caseservice-caritas", "caseservice-diakonie", "identity", "gateway", "webapp",
        ];

        Assert.All(expected, name => Assert.True(resources.ContainsKey(name), $"{name} is missing from the manifest"));
        Assert.Equal("project.v0", resources["caseservice-caritas"]!["type"]!.GetValue<string>());
        Assert.Equal("parameter.v0", resources["caseservice-caritas-casedb"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public void Wires_tenants_state_mode_and_the_gateway_in_aspire_conventions()
    {
        var caritas = Environment("caseservice-caritas");
        Assert.Equal("caritas", caritas["Tenant__Id"]!.GetValue<string>());
        Assert.Equal("kommune", caritas["Tenant__CoordinatingTenant"]!.GetValue<string>());
        Assert.False(Environment("caseservice-kommune").ContainsKey("Tenant__CoordinatingTenant"));
        Assert.Contains("{networkservice.bindings.http.url}", caritas["services__networkservice__http__0"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("{messaging.connectionString}", caritas["ConnectionStrings__messaging"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("State", Environment("statereportingservice")["Reporting__Mode"]!.GetValue<string>());

        // Deployments configure SMTP; only the running platform writes mail into its data directory.
        Assert.False(Environment("networkservice").ContainsKey("Notifications__PickupDirectory"));
        Assert.Equal("{public-address.value}", Environment("networkservice")["Notifications__WebAppUrl"]!.GetValue<string>());

        var gateway = Environment("gateway");
        foreach (var backend in new[] { "networkservice", "reportingservice", "statereportingservice", "caseservice-kommune", "caseservice-caritas", "caseservice-diakonie" })
        {
            Assert.Contains($"{{{backend}.bindings.http.url}}", gateway[$"services__{backend}__http__0"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        Assert.True(gateway.ContainsKey("services__caseservice-awo__https__0"), "the carrier-hosted tenant is routed");
        Assert.Contains("{identity.bindings.http.url}", gateway["services__identity__http__0"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("{identity-issuer.value}", caritas["Authentication__Authority"]!.GetValue<string>());
        Assert.Equal("awo", Environment("identity")["Identity__Tenants__3"]!.GetValue<string>());
        Assert.False(gateway.ContainsKey("ConnectionStrings__messaging"));

        // The web front end: served by the gateway, signing in at the provider as its confidential client, at the public address.
        var webApp = Environment("webapp");
        Assert.Contains("{webapp.bindings.http.url}", gateway["services__webapp__http__0"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("{public-address.value}", webApp["WebApp__PublicAddress"]!.GetValue<string>());
        Assert.Equal("{identity-issuer.value}", webApp["WebApp__Authority"]!.GetValue<string>());
        Assert.Equal("{public-address.value}signin-oidc", Environment("identity")["Identity__Clients__2__RedirectUris__0"]!.GetValue<string>());
        Assert.Equal(webApp["WebApp__ClientSecret"]!.GetValue<string>(), Environment("identity")["Identity__Clients__2__Secret"]!.GetValue<string>());
        Assert.True(resources["webapp-client-secret"]!["inputs"]!["value"]!["secret"]!.GetValue<bool>());
        Assert.False(webApp.ContainsKey("ConnectionStrings__messaging"));
    }

    [Fact]
    public async Task Holds_no_development_secret_and_no_development_setting()
    {
        var text = await File.ReadAllTextAsync(Path.Combine(directories.Path, "aspire-manifest.json"));
        var secrets = new DevSecrets(directories.Path);

        Assert.DoesNotContain(secrets.SigningKey(), text, StringComparison.Ordinal);
        Assert.DoesNotContain(secrets.PseudonymKey("caritas"), text, StringComparison.Ordinal);
        Assert.DoesNotContain("DevSigningKey", text, StringComparison.Ordinal);
        Assert.DoesNotContain("SeedPassword", text, StringComparison.Ordinal);
        Assert.DoesNotContain("AllowHttp", text, StringComparison.Ordinal);
        Assert.DoesNotContain("RequireHttpsMetadata", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Development", text, StringComparison.Ordinal);
        Assert.Contains("{identity-key-password.value}", Environment("identity")["Identity__KeyPassword"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(resources["identity-key-password"]!["inputs"]!["value"]!["secret"]!.GetValue<bool>());
        Assert.Equal("{identity-issuer.value}", Environment("gateway")["Authentication__Authority"]!.GetValue<string>());
    }

    public Task DisposeAsync()
    {
        directories.Dispose();
        return Task.CompletedTask;
    }
}
