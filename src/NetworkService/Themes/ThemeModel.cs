using Kim.Contracts;
using Kim.Contracts.Network;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kim.NetworkService.Themes;

public enum ThemeStatus
{
    Proposed,
    Assigned,

    /// <summary>A duplicate merged into another theme; hidden from the list, its tag is an alias of the target.</summary>
    Merged,
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

    /// <summary>The theme this duplicate was merged into; later barriers with this theme's tag land there.</summary>
    public Guid? MergedIntoId { get; set; }

    /// <summary>Counts renames and merges; a concurrency token so that concurrent edits do not overwrite each other.</summary>
    public int Revision { get; set; }

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

/// <summary>One anonymised barrier of a reconstruction behind a theme (no case reference).</summary>
public sealed class ThemeBarrier
{
    public long Id { get; init; }

    public Guid ThemeId { get; set; }

    public Guid ReconstructionId { get; init; }

    public required string TenantId { get; init; }

    /// <summary>The barrier text, anonymised by the CaseService before submission.</summary>
    public required string Description { get; init; }

    public LegalDomain LegalDomain { get; init; }

    public Guid? ProviderOrganisationId { get; init; }

    public Guid? ServiceChainId { get; init; }

    public int? ServiceChainVersion { get; init; }

    public int? ChainStepOrder { get; init; }

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
        theme.Property(t => t.Revision).IsConcurrencyToken();
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

internal sealed class ThemeBarrierConfiguration : IEntityTypeConfiguration<ThemeBarrier>
{
    public void Configure(EntityTypeBuilder<ThemeBarrier> barrier)
    {
        barrier.ToTable("ThemeBarriers");
        barrier.HasKey(b => b.Id);
        barrier.Property(b => b.TenantId).HasMaxLength(100);
        barrier.Property(b => b.Description).HasMaxLength(2000);
        barrier.Property(b => b.LegalDomain).HasConversion<string>().HasMaxLength(40);
        barrier.HasIndex(b => b.ThemeId);
        barrier.HasOne<GenerativeTheme>().WithMany().HasForeignKey(b => b.ThemeId).OnDelete(DeleteBehavior.Cascade);
    }
}
