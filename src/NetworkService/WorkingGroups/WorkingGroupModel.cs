using Kim.NetworkService.Infrastructure;
using Kim.ServiceDefaults.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kim.NetworkService.WorkingGroups;

public enum WorkingGroupStatus
{
    /// <summary>A written mandate awaiting the steering group's resolution; the group does not work yet.</summary>
    Proposed,
    Mandated,
}

public sealed record WorkingGroupMember(string Name, Guid? OrganisationId, string? Function);

public sealed record WorkingGroupSession(DateOnly HeldOn, string Summary);

/// <summary>A project working group (Projektarbeitsgruppe, PAG) and its written mandate.</summary>
public sealed class WorkingGroup
{
    public Guid Id { get; init; }

    public required string Name { get; set; }

    public required string Subject { get; set; }

    public required string Objective { get; set; }

    public string? SpecialRequirements { get; set; }

    public required string Composition { get; set; }

    public required string WorkingForm { get; set; }

    public required string ExpectedResultFormat { get; set; }

    public Guid? ThemeId { get; set; }

    public WorkingGroupStatus Status { get; set; }

    public string? ResolutionNumber { get; set; }

    public List<WorkingGroupMember> Members { get; set; } = [];

    public List<WorkingGroupSession> Sessions { get; set; } = [];

    public DateTime CreatedAt { get; init; }
}

public enum ResultStatus
{
    Submitted,
    Adopted,
    Rejected,
    Returned,
}

/// <summary>A result a working group submits back to the steering group.</summary>
public sealed class WorkingGroupResult
{
    public Guid Id { get; init; }

    public Guid WorkingGroupId { get; init; }

    public required string Title { get; set; }

    public required string Summary { get; set; }

    public ResultStatus Status { get; set; }

    public string? ResolutionNumber { get; set; }

    public DateTime SubmittedAt { get; init; }
}

internal sealed class WorkingGroupConfiguration : IEntityTypeConfiguration<WorkingGroup>
{
    public void Configure(EntityTypeBuilder<WorkingGroup> group)
    {
        group.ToTable("WorkingGroups");
        group.HasKey(g => g.Id);
        group.Property(g => g.Id).ValueGeneratedNever();
        group.Property(g => g.Name).HasMaxLength(200);
        group.HasIndex(g => g.Name).IsUnique();
        group.Property(g => g.Subject).HasMaxLength(2000);
        group.Property(g => g.Objective).HasMaxLength(2000);
        group.Property(g => g.SpecialRequirements).HasMaxLength(2000);
        group.Property(g => g.Composition).HasMaxLength(2000);
        group.Property(g => g.WorkingForm).HasMaxLength(2000);
        group.Property(g => g.ExpectedResultFormat).HasMaxLength(2000);
        group.Property(g => g.Status).HasConversion<string>().HasMaxLength(20);
        group.Property(g => g.ResolutionNumber).HasMaxLength(20);
        group.Property(g => g.Members).HasJsonConversion();
        group.Property(g => g.Sessions).HasJsonConversion();
    }
}

internal sealed class WorkingGroupResultConfiguration : IEntityTypeConfiguration<WorkingGroupResult>
{
    public void Configure(EntityTypeBuilder<WorkingGroupResult> result)
    {
        result.ToTable("WorkingGroupResults");
        result.HasKey(r => r.Id);
        result.Property(r => r.Id).ValueGeneratedNever();
        result.Property(r => r.Title).HasMaxLength(200);
        result.Property(r => r.Summary).HasMaxLength(4000);
        result.Property(r => r.Status).HasConversion<string>().HasMaxLength(20);
        result.Property(r => r.ResolutionNumber).HasMaxLength(20);
        result.HasOne<WorkingGroup>().WithMany().HasForeignKey(r => r.WorkingGroupId).OnDelete(DeleteBehavior.Cascade);
    }
}
