using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Kim.Hosting.Broker;
using Kim.Testing;

namespace Kim.AppHost.Tests;

/// <summary>
/// AppHost's model as Aspire receives it when no broker is configured and Debian's rabbitmq-server is there:
/// declared, not started.
/// </summary>
public sealed class ApplicationModelTests : IAsyncLifetime
{
    private readonly TestDirectories directories = new("model");
    private IDistributedApplicationTestingBuilder builder = null!;

    private IResource Resource(string name) => builder.Resources.Single(r => r.Name == name);

    private static bool WaitsFor(IResource resource, string dependency) =>
        resource.Annotations.OfType<WaitAnnotation>().Any(w => w.Resource.Name == dependency);

    public async Task InitializeAsync()
    {
        Assert.NotNull(LocalRabbitMqNode.FindServerBinary());
        builder = await DistributedApplicationTestingBuilder.CreateAsync(typeof(PlatformOptions),
            [$"--Platform:DataDirectory={directories.Path}", "--ConnectionStrings:messaging=", "--Platform:Tenants:0=kommune", "--Platform:Tenants:1=awo", "--Platform:Tenants:2=", "--Platform:NetworkDelegatedTenants:0=awo"],
            (options, _) => options.DisableDashboard = true);
    }

    [Fact]
    public void The_broker_is_a_node_with_its_port_mapper_as_a_resource_of_its_own()
    {
        var node = Resource("messaging");
        var epmd = Resource("messaging-epmd");

        Assert.IsType<ExecutableResource>(node);
        Assert.IsType<ExecutableResource>(epmd);
        Assert.True(WaitsFor(node, "messaging-epmd"), "the node waits for its port mapper, else it starts one that outlives it");
        Assert.Contains(node.Annotations.OfType<HealthCheckAnnotation>(), h => h.Key == "messaging-ready");
        Assert.Contains(node.Annotations.OfType<ResourceCommandAnnotation>(), c => c.Name == "requeue-errors");
        Assert.True(File.Exists(Path.Combine(directories.Path, "rabbitmq", "rabbitmq.conf")));
    }

    [Fact]
    public void Every_service_waits_for_the_broker_and_the_gateway_for_every_service()
    {
        string[] services = ["networkservice", "reportingservice", "statereportingservice", "caseservice-kommune", "caseservice-awo"];

        Assert.All(services, name => Assert.True(WaitsFor(Resource(name), "messaging"), $"{name} waits for the broker"));
        Assert.All(services.Append("identity").Append("webapp"), name => Assert.True(WaitsFor(Resource("gateway"), name), $"the gateway waits for {name}"));
        Assert.DoesNotContain(builder.Resources, r => r.Name == "caseservice-caritas");
        Assert.All(services.Append("gateway").Append("identity").Append("webapp"), name => Assert.Contains(Resource(name).Annotations.OfType<HealthCheckAnnotation>(), h => h.Key.Contains("/health", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task The_network_service_and_the_web_front_end_get_the_same_keepers_of_the_network()
    {
        foreach (var (name, section) in new[] { ("networkservice", "Network"), ("webapp", "WebApp") })
        {
            var context = new EnvironmentCallbackContext(new DistributedApplicationExecutionContext(DistributedApplicationOperation.Run));
            foreach (var callback in Resource(name).Annotations.OfType<EnvironmentCallbackAnnotation>())
            {
                await callback.Callback(context);
            }

            var environment = context.EnvironmentVariables.Where(e => e.Value is string).ToDictionary(e => e.Key, e => (string)e.Value);
            Assert.Equal("kommune", environment[$"{section}__CoordinatingTenant"]);
            Assert.Equal("awo", environment[$"{section}__DelegatedTenants__0"]);
            Assert.DoesNotContain($"{section}__DelegatedTenants__1", environment.Keys);
        }
    }

    [Fact]
    public async Task The_network_service_writes_its_mail_into_the_data_directory_and_links_to_the_gateway()
    {
        var context = new EnvironmentCallbackContext(new DistributedApplicationExecutionContext(DistributedApplicationOperation.Run));
        foreach (var callback in Resource("networkservice").Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            await callback.Callback(context);
        }

        Assert.Equal(Path.Combine(directories.Path, "mail"), context.EnvironmentVariables["Notifications__PickupDirectory"]);
        var webAppUrl = Assert.IsType<ReferenceExpression>(context.EnvironmentVariables["Notifications__WebAppUrl"]);
        Assert.Matches(@"^http://127\.0\.0\.1:\d+/$", await webAppUrl.GetValueAsync(CancellationToken.None));
    }

    public async Task DisposeAsync()
    {
        await builder.DisposeAsync();
        directories.Dispose();
    }
}
