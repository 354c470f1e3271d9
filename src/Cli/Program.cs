using System.Runtime.InteropServices;
using Kim.Hosting.Broker;
using Microsoft.Extensions.Configuration;

namespace Kim.Cli;

/// <summary>
/// The developer and operator commands that are not the application model: <c>login</c> signs in at the platform's
/// provider and prints an access token, <c>token</c> prints a development JWT, <c>requeue</c> moves failed messages back, <c>broker</c> provides a broker for the test command, <c>demo</c> fills a running platform with a year of the KIM loop, <c>add-tenant</c> adds a carrier-hosted tenant.
/// </summary>
public static class CliProgram
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length == 0)
        {
            return Usage();
        }

        using var stopping = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            _ = stopping.CancelAsync();
        };
        using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            _ = stopping.CancelAsync();
        });

        var rest = args[1..];
        try
        {
            return args[0] switch
            {
                "token" => TokenCommand.Run(rest, Console.Out, Console.Error, Configuration(rest)),
                "login" => await LoginCommand.RunAsync(rest, Console.In, Console.Out, Console.Error, stopping.Token),
                "broker" => await BrokerCommand.RunAsync(stopping.Token),
                "requeue" => await RequeueCommand.RunAsync(rest, Configuration([]), Console.Out, Console.Error, stopping.Token),
                "demo" => await Demo.DemoCommand.RunAsync(rest, Configuration([]), Console.Out, Console.Error, stopping.Token),
                "add-tenant" => await AddTenantCommand.RunAsync(rest, PlatformConfiguration(rest), Console.Out, Console.Error, stopping.Token),
                _ => Usage(),
            };
        }
        catch (Exception exception) when (exception is BrokerUnavailableException or ArgumentException)
        {
            Console.Error.WriteLine(exception.Message);
            return 1;
        }
    }

    private static IConfiguration Configuration(string[] arguments) =>
        new ConfigurationBuilder()
            .AddEnvironmentVariables()
            .AddCommandLine(arguments.Where(a => a.Contains(':') || a.Contains('=')).ToArray())
            .Build();

    /// <summary>
    /// What AppHost reads about the platform: its <c>appsettings.json</c>, the environment and <c>--Section:Key=value</c>
    /// arguments (<c>--Platform:Tenants:3=awo</c>), as when starting the platform.
    /// </summary>
    private static IConfiguration PlatformConfiguration(string[] arguments) =>
        new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(Kim.Hosting.RepositoryPaths.Root, "src", "AppHost", "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(arguments.Where(a => a.StartsWith("--", StringComparison.Ordinal) && a.IndexOf(':') is > 2 and var colon && a.IndexOf('=') > colon).ToArray())
            .Build();

    private static int Usage()
    {
        Console.Error.WriteLine("""
            usage: dotnet run --project src/Cli -- login --user <name> [--issuer <url>] [--totp <code>] [--refresh]
                   dotnet run --project src/Cli -- token --tenant <tenant> --role <role> [--user <name>] [--minutes <n>]
                   dotnet run --project src/Cli -- requeue --queue <name>_error [--to <queue>] [--count <n>] [--messaging <amqp uri>]
                   dotnet run --project src/Cli -- broker
                   dotnet run --project src/Cli -- demo [--cases <per tenant, default 120>] [--gateway http://127.0.0.1:8080/]
                   dotnet run --project src/Cli -- add-tenant --tenant <id> --url <https base URL> [--messaging <amqps uri>] [--management <uri>] [--out <folder>] ...
            The platform itself: dotnet run --project src/AppHost
            """);
        return 2;
    }
}
