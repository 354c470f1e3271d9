using Kim.Hosting;
using Kim.Hosting.Broker;
using Kim.ServiceDefaults.Security;
using Microsoft.Extensions.Configuration;

namespace Kim.Cli;

/// <summary><c>broker</c>: starts a private broker node, prints its connection settings and keeps it until SIGTERM (used by the test command).</summary>
public static class BrokerCommand
{
    public static async Task<int> RunAsync(CancellationToken stopping)
    {
        var directory = Path.Combine(Path.GetTempPath(), "kim-broker-" + Environment.ProcessId);
        await using var node = await LocalRabbitMqNode.StartAsync(directory, "kimtest" + Environment.ProcessId, fresh: true, TimeSpan.FromSeconds(90), stopping);
        Console.Out.WriteLine($"ConnectionStrings__messaging={node.Endpoint.AmqpUri}");
        Console.Out.WriteLine($"RabbitMq__ManagementUri={node.Endpoint.ManagementUri}");
        Console.Out.Flush();
        try
        {
            await Task.Delay(Timeout.Infinite, stopping);
        }
        catch (OperationCanceledException)
        {
            // Stop the broker below.
        }

        return 0;
    }
}

/// <summary><c>token</c>: prints a development JWT signed with the platform's local key.</summary>
public static class TokenCommand
{
    public static int Run(string[] arguments, TextWriter output, TextWriter error, IConfiguration configuration)
    {
        string? Option(string name)
        {
            var index = Array.IndexOf(arguments, "--" + name);
            return index >= 0 && index + 1 < arguments.Length ? arguments[index + 1] : null;
        }

        var tenant = Option("tenant");
        var role = Option("role");
        var user = Option("user") ?? "dev-user";
        if (tenant is null || role is null)
        {
            error.WriteLine($"usage: token --tenant <tenant> --role <role> [--user <name>] [--minutes <n>]; roles: {string.Join(", ", KimRoles.All)}");
            return 2;
        }

        if (!TenantNames.IsValid(tenant))
        {
            error.WriteLine($"'{tenant}' is not a valid tenant name.");
            return 2;
        }

        if (!KimRoles.All.Contains(role))
        {
            error.WriteLine($"Unknown role '{role}'. Known roles: {string.Join(", ", KimRoles.All)}.");
            return 2;
        }

        var minutes = int.TryParse(Option("minutes"), out var m) && m > 0 ? m : 480;
        var key = new DevSecrets(RepositoryPaths.DataDirectory(configuration)).SigningKey();
        output.WriteLine(DevTokens.Create(key, tenant, role, user, DateTime.UtcNow, TimeSpan.FromMinutes(minutes)));
        return 0;
    }
}

/// <summary><c>requeue</c>: moves messages from an error queue back to their queue for redelivery.</summary>
public static class RequeueCommand
{
    public static async Task<int> RunAsync(string[] arguments, IConfiguration configuration, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        string? Option(string name)
        {
            var index = Array.IndexOf(arguments, "--" + name);
            return index >= 0 && index + 1 < arguments.Length ? arguments[index + 1] : null;
        }

        var queue = Option("queue");
        var messaging = Option("messaging") ?? configuration.GetConnectionString("messaging");
        if (queue is null || string.IsNullOrWhiteSpace(messaging))
        {
            error.WriteLine("usage: requeue --queue <name>_error [--to <queue>] [--count <n>] [--messaging amqp://user:password@host:5672/vhost]");
            error.WriteLine("       (the broker defaults to ConnectionStrings:messaging)");
            return 2;
        }

        int? count = int.TryParse(Option("count"), out var n) && n > 0 ? n : null;
        var moved = await ErrorQueueMover.MoveAsync(new Uri(messaging), queue, Option("to"), count, cancellationToken);
        output.WriteLine($"moved {moved} message(s) from {queue} to {Option("to") ?? queue[..^ErrorQueueMover.ErrorSuffix.Length]}");
        return 0;
    }
}
