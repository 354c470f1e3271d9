using Kim.Hosting;
using Kim.Hosting.Broker;
using Kim.ServiceDefaults;
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
        string? Option(string name) => CommandLine.Option(arguments, name);

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
        string? Option(string name) => CommandLine.Option(arguments, name);

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

/// <summary>
/// <c>login</c>: signs in at the platform's OpenID Connect provider with the authorization code flow and PKCE, as the
/// web front end does, and prints the access token (with <c>--refresh</c> also the refresh token on a second line).
/// The password comes from <c>KIM_PASSWORD</c> or standard input, never from the command line.
/// </summary>
public static class LoginCommand
{
    public static async Task<int> RunAsync(string[] arguments, TextReader input, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        string? Option(string name) => CommandLine.Option(arguments, name);

        var user = Option("user");
        if (user is null)
        {
            error.WriteLine("usage: login --user <name> [--issuer http://127.0.0.1:8080/identity/] [--totp <code>] [--refresh]   (password: KIM_PASSWORD or standard input)");
            return 2;
        }

        var password = Environment.GetEnvironmentVariable("KIM_PASSWORD") ?? input.ReadLine() ?? "";
        var issuer = new Uri(Option("issuer") ?? "http://127.0.0.1:8080/identity/");
        var totp = Option("totp");
        using var signIn = new Kim.Hosting.SignIn.CodeFlowSignIn(issuer, CliClient.Id, CliClient.RedirectUri);
        try
        {
            var started = System.Diagnostics.Stopwatch.StartNew();
            var tokens = await signIn.SignInAsync(user, password, totp is null ? null : () => totp, cancellationToken);
            output.WriteLine(tokens.AccessToken);
            if (arguments.Contains("--refresh"))
            {
                output.WriteLine(tokens.RefreshToken);
            }

            error.WriteLine($"signed in as {user} in {started.ElapsedMilliseconds} ms; the token is valid for {tokens.ExpiresIn / 60} min");
            return 0;
        }
        catch (Kim.Hosting.SignIn.SignInRefusedException exception)
        {
            error.WriteLine("Anmeldung abgelehnt: " + exception.Message);
            return 1;
        }
        catch (HttpRequestException exception)
        {
            error.WriteLine($"The provider at {issuer} does not answer ({exception.Message}). Is the platform running (./run.sh)?");
            return 1;
        }
    }
}

/// <summary>The <c>--name value</c> options of a command.</summary>
public static class CommandLine
{
    public static string? Option(string[] arguments, string name)
    {
        var index = Array.IndexOf(arguments, "--" + name);
        return index >= 0 && index + 1 < arguments.Length ? arguments[index + 1] : null;
    }
}
