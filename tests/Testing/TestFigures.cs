using Kim.Hosting;
using Xunit.Abstractions;

namespace Kim.Testing;

/// <summary>
/// Figures a test measures (fault counts, pages checked, sign-in time): printed to the test output and appended to
/// <c>artifacts/test-results/&lt;file&gt;</c>, which the test command prints at the end. Figures, never assertions on time.
/// </summary>
public static class TestFigures
{
    private static readonly Lock Gate = new();

    public static void Report(ITestOutputHelper output, string file, string line)
    {
        output.WriteLine(line);
        Append(file, line);
    }

    /// <summary>Appends a figure measured outside any one test (e.g. by a fixture when it ends).</summary>
    public static void Append(string file, string line)
    {
        var folder = Path.Combine(RepositoryPaths.Root, "artifacts", "test-results");
        lock (Gate)
        {
            Directory.CreateDirectory(folder);
            File.AppendAllText(Path.Combine(folder, file), line + Environment.NewLine);
        }
    }
}
