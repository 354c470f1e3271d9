using System.Runtime.InteropServices;
using Kim.AppHost.Broker;
using Microsoft.Extensions.Configuration;

namespace Kim.AppHost;

/// <summary>Commands: <c>run</c> (default) starts the platform, <c>token</c> prints a development JWT, <c>broker</c> provides a broker for the test command.</summary>
public static class AppHostProgram
{
    public static async Task<int> Main(string[] args)
    {
        var command = args.Length > 0 && !args[0].StartsWith('-') ? args[0] : "run";
        var rest = command == "run" && (args.Length == 0 || args[0].StartsWith('-')) ? args : args[1..];

        using var stopping = new CancellationTokenSource();
        // CancelAsync: the shutdown must not run on the runtime's signal thread, which also reaps child processes.
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

        try
        {
            return command switch
            {
                "token" => TokenCommand.Run(rest, Console.Out, Console.Error, Configuration(rest)),
                "broker" => await BrokerCommand.RunAsync(Configuration(rest), stopping.Token),
                "run" => await RunCommand.RunAsync(Configuration(rest), stopping.Token),
                "requeue" => await RequeueCommand.RunAsync(rest, Configuration([]), Console.Out, Console.Error, stopping.Token),
                _ => Usage(),
            };
        }
        catch (Exception exception) when (exception is PlatformStartException or BrokerUnavailableException or ArgumentException)
        {
            Console.Error.WriteLine(exception.Message);
            return 1;
        }
    }

    private static IConfiguration Configuration(string[] arguments) =>
        new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(arguments.Where(a => a.Contains(':') || a.Contains('=')).ToArray())
            .Build();

    private static int Usage()
    {
        Console.Error.WriteLine("""
            usage: dotnet run --project src/AppHost [-- run] [--Platform:Key=value ...]
                   dotnet run --project src/AppHost -- token --tenant <tenant> --role <role> [--user <name>] [--minutes <n>]
                   dotnet run --project src/AppHost -- broker
               dotnet run --project src/AppHost -- requeue --queue <name>_error [--to <queue>] [--count <n>] [--messaging <amqp uri>]
            """);
        return 2;
    }
}
