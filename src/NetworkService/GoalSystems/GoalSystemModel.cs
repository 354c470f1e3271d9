using Kim.NetworkService.Infrastructure;
using Kim.NetworkService.WorkingGroups;
using Kim.ServiceDefaults.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kim.NetworkService.GoalSystems;

public sealed record Indicator(string Name, decimal Baseline, decimal Target, string Unit, string? Source);

public sealed record Activity(string Text);

public sealed record OutcomeGoal(string Text, List<Indicator> Indicators, List<Activity> Activities);

public sealed record FrameworkGoal(string Text, List<Indicator> Indicators, List<OutcomeGoal> OutcomeGoals);

/// <summary>The tree of a goal system: one principal goal (Leitziel) over framework goals, outcome goals and activities.</summary>
public sealed record PrincipalGoal(string Text, List<Indicator> Indicators, List<FrameworkGoal> FrameworkGoals)
{
    public int IndicatorCount => Indicators.Count
        + FrameworkGoals.Sum(f => f.Indicators.Count + f.OutcomeGoals.Sum(o => o.Indicators.Count));
}

public enum GoalSystemStatus
{
    Draft,
    Adopted,
    Superseded,
}

/// <summary>One version of a working group's goal system (Zielsystem).</summary>
public sealed class GoalSystem
{
    public Guid Id { get; init; }

    public Guid WorkingGroupId { get; init; }

    public int Version { get; init; }

    public Guid? ThemeId { get; init; }

    public required PrincipalGoal Tree { get; set; }

    public List<string> SourcesOfVerification { get; set; } = [];

    public List<string> CriticalAssumptions { get; set; } = [];

    public GoalSystemStatus Status { get; set; }

    public string? ResolutionNumber { get; set; }

    public DateTime CreatedAt { get; init; }
}

/// <summary>An actual value of one indicator of an adopted goal system, measured on a day, with its source.</summary>
public sealed class IndicatorValue
{
    public Guid Id { get; init; }

    public Guid GoalSystemId { get; init; }

    /// <summary>The indicator's position in the tree, see <see cref="IndicatorPositions"/>.</summary>
    public required string IndicatorId { get; init; }

    public decimal Value { get; init; }

    public DateOnly MeasuredOn { get; init; }

    public required string Source { get; init; }

    public DateTime RecordedAt { get; init; }
}

/// <summary>
/// Stable ids of the indicators of a goal system version by their position: <c>p-1</c> for the principal goal's first indicator,
/// <c>f2-1</c> for the second framework goal's first, <c>f2-o3-1</c> for its third outcome goal's first. A version's tree does not
/// change once drafted, so the ids stay valid.
/// </summary>
public static class IndicatorPositions
{
    public static IEnumerable<(string Id, string Goal, Indicator Indicator)> All(PrincipalGoal tree)
    {
        for (var i = 0; i < tree.Indicators.Count; i++)
        {
            yield return ($"p-{i + 1}", tree.Text, tree.Indicators[i]);
        }

        for (var f = 0; f < tree.FrameworkGoals.Count; f++)
        {
            var framework = tree.FrameworkGoals[f];
            for (var i = 0; i < framework.Indicators.Count; i++)
            {
                yield return ($"f{f + 1}-{i + 1}", framework.Text, framework.Indicators[i]);
            }

            for (var o = 0; o < framework.OutcomeGoals.Count; o++)
            {
                var outcome = framework.OutcomeGoals[o];
                for (var i = 0; i < outcome.Indicators.Count; i++)
                {
                    yield return ($"f{f + 1}-o{o + 1}-{i + 1}", outcome.Text, outcome.Indicators[i]);
                }
            }
        }
    }
}

internal sealed class IndicatorValueConfiguration : IEntityTypeConfiguration<IndicatorValue>
{
    public void Configure(EntityTypeBuilder<IndicatorValue> value)
    {
        value.ToTable("IndicatorValues");
        value.HasKey(v => v.Id);
        value.Property(v => v.Id).ValueGeneratedNever();
        value.Property(v => v.IndicatorId).HasMaxLength(40);
        value.Property(v => v.Value).HasPrecision(18, 4);
        value.Property(v => v.Source).HasMaxLength(200);
        value.HasIndex(v => new { v.GoalSystemId, v.IndicatorId, v.MeasuredOn });
        value.HasOne<GoalSystem>().WithMany().HasForeignKey(v => v.GoalSystemId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class GoalSystemConfiguration : IEntityTypeConfiguration<GoalSystem>
{
    public void Configure(EntityTypeBuilder<GoalSystem> goalSystem)
    {
        goalSystem.ToTable("GoalSystems");
        goalSystem.HasKey(g => g.Id);
        goalSystem.Property(g => g.Id).ValueGeneratedNever();
        goalSystem.HasIndex(g => new { g.WorkingGroupId, g.Version }).IsUnique();
        goalSystem.Property(g => g.Tree).HasJsonConversion();
        goalSystem.Property(g => g.SourcesOfVerification).HasJsonConversion();
        goalSystem.Property(g => g.CriticalAssumptions).HasJsonConversion();
        goalSystem.Property(g => g.Status).HasConversion<string>().HasMaxLength(20);
        goalSystem.Property(g => g.ResolutionNumber).HasMaxLength(20);
        goalSystem.HasOne<WorkingGroup>().WithMany().HasForeignKey(g => g.WorkingGroupId).OnDelete(DeleteBehavior.Restrict);
    }
}
