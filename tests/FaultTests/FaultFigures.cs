using Kim.Testing;
using Xunit.Abstractions;

namespace Kim.FaultTests;

/// <summary>A fault test's figures, in <c>artifacts/test-results/fault-figures.txt</c>, which the test command prints.</summary>
public static class FaultFigures
{
    public static void Report(ITestOutputHelper output, string fault, DeliveryFigures figures, TimeSpan took) =>
        TestFigures.Report(output, "fault-figures.txt", $"{fault}: {figures} ({took.TotalSeconds:0.0} s)");
}
