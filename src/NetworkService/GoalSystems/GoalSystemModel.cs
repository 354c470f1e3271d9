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
