using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Kim.Hosting;

public static class ChildProcesses
{
    private static readonly string? Setsid = new[] { "/usr/bin/setsid", "/bin/setsid" }.FirstOrDefault(File.Exists);

    /// <summary>
    /// Starts a child in its own session where <c>setsid</c> exists, so a Ctrl+C in the terminal reaches only
    /// AppHost, which then stops its children in order (the broker last) instead of all of them at once.
    /// </summary>
    public static Process Start(ProcessStartInfo start)
    {
        if (Setsid is not null && !OperatingSystem.IsWindows())
        {
            var wrapped = new ProcessStartInfo(Setsid)
            {
                UseShellExecute = false,
                RedirectStandardOutput = start.RedirectStandardOutput,
                RedirectStandardError = start.RedirectStandardError,
                RedirectStandardInput = start.RedirectStandardInput,
                WorkingDirectory = start.WorkingDirectory,
            };
            wrapped.ArgumentList.Add(start.FileName);
            foreach (var argument in start.ArgumentList)
            {
                wrapped.ArgumentList.Add(argument);
            }

            wrapped.Environment.Clear();
            foreach (var (key, value) in start.Environment)
            {
                wrapped.Environment[key] = value;
            }

            start = wrapped;
        }

        return Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} could not be started.");
    }

    /// <summary>Asks a process to stop (SIGTERM on Unix, so .NET hosts and RabbitMQ shut down cleanly); kills it where there are no signals.</summary>
    public static void SignalTerminate(Process process)
    {
        if (OperatingSystem.IsWindows())
        {
            process.Kill(entireProcessTree: true);
            return;
        }

        // A direct system call: starting a `kill` process and waiting for it could block on the runtime's
        // child-reaping while it is busy elsewhere.
        const int SigTerm = 15;
        _ = SendSignal(process.Id, SigTerm);
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);

    /// <summary>Signals termination, waits up to <paramref name="grace"/>, then kills the whole tree.</summary>
    public static async Task StopAsync(Process process, TimeSpan grace)
    {
        if (process.HasExited)
        {
            return;
        }

        SignalTerminate(process);
        using var timeout = new CancellationTokenSource(grace);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }
}
