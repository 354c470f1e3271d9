using System.Diagnostics;

namespace Kim.AppHost.Messaging;

/// <summary>
/// Runs the broker's processes as the <c>rabbitmq</c> user when AppHost runs as root (as Debian's package
/// intends), through <c>setpriv</c>, which replaces itself with the program: signals reach the program directly.
/// The node's folder is handed to that user. Without root, or without that user, the processes run as AppHost does.
/// </summary>
internal sealed class RunAs(string? user)
{
    private const string SetPriv = "/usr/bin/setpriv";

    public string? User { get; } = user;

    public static RunAs RabbitMqUser(string directory)
    {
        if (OperatingSystem.IsWindows() || Environment.UserName != "root" || !File.Exists(SetPriv) || !UserExists("rabbitmq") || !EveryAncestorIsSearchable(directory))
        {
            return new RunAs(null);
        }

        Run("chown", "-R", "rabbitmq:rabbitmq", directory);
        return new RunAs("rabbitmq");
    }

    public IResourceBuilder<ExecutableResource> AddExecutable(IDistributedApplicationBuilder builder, string name, string command, string workingDirectory, params string[] arguments) =>
        User is null
            ? builder.AddExecutable(name, command, workingDirectory, arguments)
            : builder.AddExecutable(name, SetPriv, workingDirectory, ["--reuid=" + User, "--regid=" + User, "--init-groups", "--", command, .. arguments]);

    private static bool UserExists(string name) =>
        File.Exists("/etc/passwd") && File.ReadLines("/etc/passwd").Any(line => line.StartsWith(name + ":", StringComparison.Ordinal));

    /// <summary>The user can reach the folder only if every folder above it lets others through.</summary>
    private static bool EveryAncestorIsSearchable(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return false;
        }

        for (var folder = Path.GetDirectoryName(Path.GetFullPath(directory)); !string.IsNullOrEmpty(folder); folder = Path.GetDirectoryName(folder))
        {
            if (!File.GetUnixFileMode(folder).HasFlag(UnixFileMode.OtherExecute))
            {
                return false;
            }
        }

        return true;
    }

    private static void Run(string program, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { UseShellExecute = false }) ?? throw new InvalidOperationException(program + " could not be started.");
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed with exit code {process.ExitCode}.");
        }
    }
}
