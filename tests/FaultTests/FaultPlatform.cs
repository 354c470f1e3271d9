using System.Net.Http.Headers;
using System.Net.Http.Json;
using Kim.Hosting;
using Kim.Hosting.Broker;
using Kim.PlatformTesting;
using Kim.ServiceDefaults;
using Kim.ServiceDefaults.Messaging;
using Kim.ServiceDefaults.Security;
using Kim.Testing;

namespace Kim.FaultTests;

/// <summary>
/// The platform as real processes (started by Aspire from AppHost's model) on a broker node of its own, so a test may stop and start the broker, kill
/// services and start them again without disturbing other test assemblies.
/// </summary>
public sealed class FaultPlatform : IAsyncDisposable
{
    private readonly TestDirectories directories;
    private readonly TestPlatform runner;

    private FaultPlatform(LocalRabbitMqNode node, TestDirectories directories, TestPlatform runner, string messagingUri)
    {
        Node = node;
        this.directories = directories;
        this.runner = runner;
        MessagingUri = messagingUri;
    }

    public LocalRabbitMqNode Node { get; }

    public TestPlatform Runner => runner;

    public string MessagingUri { get; }

    public string VirtualHost => Uri.UnescapeDataString(new Uri(MessagingUri).AbsolutePath.TrimStart('/'));

    public string DataDirectory => directories.Path;

    /// <summary>
    /// Starts the platform in a fresh virtual host of <paramref name="node"/>, except the <paramref name="deferred"/> resources and
    /// what no fault test reaches (the web front end and the state's reporting service).
    /// </summary>
    public static async Task<FaultPlatform> StartAsync(LocalRabbitMqNode node, string name, params string[] deferred)
    {
        if (!node.IsRunning)
        {
            // An earlier test failed while the broker was stopped.
            await node.StartAgainAsync(TimeSpan.FromSeconds(90));
        }

        return await StartAsync(node, node.Endpoint, [], name, deferred);
    }

    /// <summary>
    /// Starts the platform in a fresh virtual host of <paramref name="cluster"/>: the services connect to its first node and know
    /// the others (<c>Messaging:Nodes</c>), so they move to another node when theirs is lost.
    /// </summary>
    public static Task<FaultPlatform> StartAsync(LocalRabbitMqCluster cluster, string name, params string[] deferred) =>
        StartAsync(cluster.Nodes[0], cluster.Nodes[0].Endpoint, cluster.FurtherNodes, name, deferred);

    private static async Task<FaultPlatform> StartAsync(LocalRabbitMqNode node, BrokerEndpoint endpoint, IReadOnlyList<string> furtherNodes, string name, string[] deferred)
    {
        var directories = new TestDirectories(name);
        var virtualHost = $"{name}-{Guid.NewGuid():N}"[..(name.Length + 9)];
        using (var management = new RabbitMqManagementClient(endpoint.ManagementUri))
        {
            await management.CreateVirtualHostAsync(virtualHost);
            await management.SetPermissionsAsync(virtualHost, "guest", ".*", ".*", ".*");
        }

        var messagingUri = endpoint.ForVirtualHost(virtualHost).ToString();
        TestPlatform runner;
        try
        {
            runner = await TestPlatform.StartAsync(new TestPlatformSettings(directories.Path, messagingUri, endpoint.ManagementUri.ToString(), "kommune", "caritas")
            {
                Deferred = [ResourceNames.WebApp, ResourceNames.StateReportingService, .. deferred],
                MessagingNodes = furtherNodes,
            });
        }
        catch
        {
            directories.Dispose();
            throw;
        }

        return new FaultPlatform(node, directories, runner, messagingUri);
    }

    public HttpClient GatewayClient(string tenant)
    {
        return new HttpClient { BaseAddress = runner.GatewayUrl, Timeout = TimeSpan.FromSeconds(10) }
            .WithToken(runner.DevSigningKey, tenant, KimRoles.CaseManager, "fault-test");
    }

    /// <summary>The SQLite file of a resource's database, e.g. <c>reportingservice</c>/<c>reportingdb</c>.</summary>
    public string DatabaseFile(string resource, string database) => Path.Combine(directories.Path, resource, database + ".db");

    public string PseudonymKey(string tenant) => new DevSecrets(directories.Path).PseudonymKey(tenant);

    /// <summary>The open cases of a tenant as ReportingService's overview counts them.</summary>
    public static async Task<int> OpenCasesAsync(HttpClient client, string tenant)
    {
        var overview = await client.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/reports/overview");
        return overview.GetProperty("openCasesByTenant").TryGetProperty(tenant, out var count) ? count.GetInt32() : 0;
    }

    /// <summary>Rows of a tenant's outbox not yet published.</summary>
    public int UnsentOutboxRows(string tenant)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={DatabaseFile(ResourceNames.CaseService(tenant), "casedb")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM OutboxMessages WHERE SentAt IS NULL";
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        await runner.DisposeAsync();
        directories.Dispose();
    }
}

/// <summary>
/// One broker node for the fault tests of this assembly, which they stop and start, and one platform on it that the
/// tests share: each test leaves it running, and <see cref="SharedPlatformAsync"/> restarts what a failed test left
/// stopped. A test counts what it wrote itself, never totals.
/// </summary>
public sealed class BrokerNodeFixture : IAsyncLifetime
{
    private FaultPlatform? shared;
    private Exception? sharedStartFailure;

    public LocalRabbitMqNode Node { get; private set; } = null!;

    /// <summary>
    /// The shared platform (started on first use) with the broker and every started resource running and healthy, and
    /// nothing an earlier test wrote still waiting in an outbox.
    /// </summary>
    public async Task<FaultPlatform> SharedPlatformAsync()
    {
        if (sharedStartFailure is not null)
        {
            throw new InvalidOperationException("The shared fault platform did not start.", sharedStartFailure);
        }

        if (!Node.IsRunning)
        {
            await Node.StartAgainAsync(TimeSpan.FromSeconds(90));
        }

        try
        {
            shared ??= await FaultPlatform.StartAsync(Node, "shared");
        }
        catch (Exception exception)
        {
            sharedStartFailure = exception;
            throw;
        }

        await shared.Runner.RestoreAsync();
        foreach (var tenant in shared.Runner.Settings.Tenants)
        {
            await Eventually.TrueAsync(() => Task.FromResult(shared.UnsentOutboxRows(tenant) == 0),
                $"the outbox of {tenant} empty before the next test", TimeSpan.FromSeconds(90));
        }

        return shared;
    }

    public async Task InitializeAsync()
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        Node = await LocalRabbitMqNode.StartAsync(Path.Combine(Path.GetTempPath(), "kim-fault-broker-" + id), "kimfault" + id, fresh: true, TimeSpan.FromSeconds(90));
    }

    public async Task DisposeAsync()
    {
        if (shared is not null)
        {
            await shared.DisposeAsync();
        }

        await Node.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class FaultCollection : ICollectionFixture<BrokerNodeFixture>
{
    public const string Name = "faults";
}
