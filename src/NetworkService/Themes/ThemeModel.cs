using Kim.Contracts;
using Kim.Contracts.Network;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kim.NetworkService.Themes;

public enum ThemeStatus
{
    Proposed,
    Assigned,
}

/// <summary>A generative theme: a barrier pattern worth working on, grouped by theme tag and life domain.</summary>
public sealed class GenerativeTheme
{
    public Guid Id { get; init; }

    public required string Title { get; set; }

    /// <summary>The normalised theme tag (trimmed, lower case) that groups barriers.</summary>
    public required string Tag { get; init; }

    public LifeDomain LifeDomain { get; init; }

    public ThemeSource Source { get; init; }

    public ThemeStatus Status { get; set; }

    public Guid? WorkingGroupId { get; set; }

    public string? AssignedByResolution { get; set; }

    public DateTime ProposedAt { get; init; }

    public static string NormaliseTag(string tag) => tag.Trim().ToLowerInvariant();
}

/// <summary>One reconstruction of one tenant supporting a theme (no case reference).</summary>
public sealed class ThemeEvidence
{
    public long Id { get; init; }

    public Guid ThemeId { get; init; }

    public Guid ReconstructionId { get; init; }

    public required string TenantId { get; init; }

    public DateTime ReceivedAt { get; init; }
}

internal sealed class GenerativeThemeConfiguration : IEntityTypeConfiguration<GenerativeTheme>
{
    public void Configure(EntityTypeBuilder<GenerativeTheme> theme)
    {
        theme.ToTable("GenerativeThemes");
        theme.HasKey(t => t.Id);
        theme.Property(t => t.Id).ValueGeneratedNever();
        theme.Property(t => t.Title).HasMaxLength(200);
        theme.Property(t => t.Tag).HasMaxLength(100);
        theme.Property(t => t.LifeDomain).HasConversion<string>().HasMaxLength(40);
        theme.Property(t => t.Source).HasConversion<string>().HasMaxLength(40);
        theme.Property(t => t.Status).HasConversion<string>().HasMaxLength(20);
        theme.Property(t => t.AssignedByResolution).HasMaxLength(20);
        theme.HasIndex(t => new { t.Tag, t.LifeDomain }).IsUnique();
    }
}

internal sealed class ThemeEvidenceConfiguration : IEntityTypeConfiguration<ThemeEvidence>
{
    public void Configure(EntityTypeBuilder<ThemeEvidence> evidence)
    {
        evidence.ToTable("ThemeEvidence");
        evidence.HasKey(e => e.Id);
        evidence.Property(e => e.TenantId).HasMaxLength(100);
        evidence.HasIndex(e => new { e.ThemeId, e.ReconstructionId }).IsUnique();
        evidence.HasOne<GenerativeTheme>().WithMany().HasForeignKey(e => e.ThemeId).OnDelete(DeleteBehavior.Cascade);
    }
}
