using System.Diagnostics;

namespace Kim.Hosting;

/// <summary>Keeps the last lines a child process wrote (stdout and stderr) and optionally copies every line to a log file.</summary>
public sealed class OutputTail(int capacity, string? logFile = null)
{
    private readonly Queue<string> lines = new();
    private readonly Lock gate = new();
    private StreamWriter? log;

    /// <summary>Raised for every line, outside the lock.</summary>
    public event Action<string>? LineWritten;

    public void Attach(Process process)
    {
        if (logFile is not null && log is null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(logFile)!);
            log = new StreamWriter(logFile, append: true) { AutoFlush = true };
        }

        process.OutputDataReceived += (_, e) => Add(e.Data);
        process.ErrorDataReceived += (_, e) => Add(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public void Add(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (gate)
        {
            lines.Enqueue(line);
            while (lines.Count > capacity)
            {
                lines.Dequeue();
            }

            log?.WriteLine(line);
        }

        LineWritten?.Invoke(line);
    }

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (gate)
            {
                return [.. lines];
            }
        }
    }

    public override string ToString() => string.Join(Environment.NewLine, Lines);
}
