using Kim.Hosting;
using Xunit.Abstractions;

namespace Kim.FaultTests;

/// <summary>Prints a fault test's figures to the test output and appends them to <c>artifacts/test-results/fault-figures.txt</c>, which the test command prints.</summary>
public static class FaultFigures
{
    private static readonly Lock Gate = new();

    public static void Report(ITestOutputHelper output, string fault, DeliveryFigures figures, TimeSpan took)
    {
        var line = $"{fault}: {figures} ({took.TotalSeconds:0.0} s)";
        output.WriteLine(line);
        var folder = Path.Combine(RepositoryPaths.Root, "artifacts", "test-results");
        lock (Gate)
        {
            Directory.CreateDirectory(folder);
            File.AppendAllText(Path.Combine(folder, "fault-figures.txt"), line + Environment.NewLine);
        }
    }
}
