using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Kim.DomainBench;

// The pure domain code under BenchmarkDotNet (see bench/README.md). Arguments go to BenchmarkDotNet (--filter,
// --artifacts, ...). After the summary, one FIGURE line per benchmark class: the larger input against the smaller one
// (the class's baseline), means as BenchmarkDotNet measured them, and its Ratio column. The benchmarks run in this
// process (the script has built it in Release): no generated project to build, a run of all of them takes about a minute.
var job = Job.Default.WithId("Short").WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(5).WithToolchain(InProcessEmitToolchain.Instance);
var config = ManualConfig.Create(DefaultConfig.Instance).AddJob(job);
var summaries = BenchmarkSwitcher.FromAssembly(typeof(CaseRulesBenchmarks).Assembly).Run(args, config).ToList();

Console.WriteLine();
foreach (var summary in summaries)
{
    var baseline = summary.BenchmarksCases.FirstOrDefault(summary.IsBaseline);
    var baselineMean = baseline is null ? null : summary[baseline]?.ResultStatistics?.Mean;
    foreach (var measured in summary.BenchmarksCases.Where(c => !summary.IsBaseline(c)))
    {
        var name = measured.Descriptor.WorkloadMethodDisplayInfo;
        if (summary[measured]?.ResultStatistics?.Mean is not { } mean)
        {
            Console.WriteLine($"no FIGURE domain-{name}: no result");
            continue;
        }

        if (baseline is null || baselineMean is null)
        {
            Console.WriteLine($"no FIGURE domain-{name}: its baseline did not run ({Duration(mean)})");
            continue;
        }

        var ratio = BaselineRatioColumn.RatioMean.GetValue(summary, measured);
        Console.WriteLine(
            $"FIGURE domain-{name} | measured {Duration(mean)} | baseline domain-{baseline.Descriptor.WorkloadMethodDisplayInfo} {Duration(baselineMean.Value)} | ratio {ratio}");
    }
}

// A mean in nanoseconds, in the unit that suits it.
static string Duration(double nanoseconds) => nanoseconds switch
{
    >= 1e9 => Format(nanoseconds / 1e9, "s"),
    >= 1e6 => Format(nanoseconds / 1e6, "ms"),
    >= 1e3 => Format(nanoseconds / 1e3, "us"),
    _ => Format(nanoseconds, "ns"),
};

static string Format(double value, string unit) => $"{value.ToString(value >= 100 ? "0" : value >= 10 ? "0.0" : "0.00", CultureInfo.InvariantCulture)} {unit}";
