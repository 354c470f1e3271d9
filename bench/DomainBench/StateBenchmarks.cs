using BenchmarkDotNet.Attributes;
using Kim.ReportingService.State;

namespace Kim.DomainBench;

/// <summary>
/// The state report's cross tables (every table of <see cref="StateReport.Tables"/>) for each of five periods, as the
/// report computes them from the loaded submissions: 54 municipalities (the sites of the 2022 evaluation in NRW) against
/// all of Germany's ~400 districts and independent cities.
/// </summary>
[MemoryDiagnoser]
public class CrossTablesBenchmarks
{
    /// <summary>The municipalities of the 2022 evaluation in NRW.</summary>
    public const int EvaluationSites = 54;
    private const int SmallCellThreshold = 5;
    private List<List<Answers>> sites = [];
    private List<List<Answers>> germany = [];

    [GlobalSetup]
    public void Setup()
    {
        sites = [.. SurveyAnswers.Periods.Select(p => SurveyAnswers.For(p, EvaluationSites))];
        germany = [.. SurveyAnswers.Periods.Select(p => SurveyAnswers.For(p, 400))];
    }

    [Benchmark(Baseline = true, Description = "crosstables-54x5")]
    public int Sites() => Tables(sites);

    [Benchmark(Description = "crosstables-400x5")]
    public int Germany() => Tables(germany);

    private static int Tables(List<List<Answers>> periods)
    {
        var cells = 0;
        for (var i = 0; i < periods.Count; i++)
        {
            foreach (var table in StateReport.Tables)
            {
                cells += CrossTables.Compute(SurveyAnswers.Periods[i], periods[i], table.Row, table.Column, table.Where, SmallCellThreshold).Rows.Count;
            }
        }

        return cells;
    }
}

/// <summary>The implementation type of every municipality of one period (<see cref="Typology.Assess"/>): 54 against ~400.</summary>
[MemoryDiagnoser]
public class TypologyBenchmarks
{
    private const int EvaluationSites = CrossTablesBenchmarks.EvaluationSites;
    private readonly TypologyOptions options = new();
    private List<Answers> sites = [];
    private List<Answers> germany = [];

    [GlobalSetup]
    public void Setup()
    {
        sites = SurveyAnswers.For(SurveyAnswers.Periods[^1], EvaluationSites);
        germany = SurveyAnswers.For(SurveyAnswers.Periods[^1], 400);
    }

    [Benchmark(Baseline = true, Description = "typology-54")]
    public int Sites() => Assess(sites);

    [Benchmark(Description = "typology-400")]
    public int Germany() => Assess(germany);

    private int Assess(List<Answers> answers)
    {
        var processOriented = 0;
        foreach (var a in answers)
        {
            if (Typology.Assess(a.Document, options).Type == ImplementationType.ProcessOriented)
            {
                processOriented++;
            }
        }

        return processOriented;
    }
}
