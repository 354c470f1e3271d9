using Kim.Contracts;
using Kim.NetworkService.Infrastructure;
using Kim.ServiceDefaults.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kim.NetworkService.ServiceChains;

public sealed record ChainStepData(
    int Order, string Activity, Guid ResponsibleOrganisationId, LegalDomain LegalDomain,
    string Preconditions, string Guarantees, string Standards, int TargetDays);

public enum ServiceChainStatus
{
    Draft,
    Adopted,
    Superseded,
}

/// <summary>One version of a service chain (Dienstleistungskette); versions of one chain share <see cref="ChainId"/>.</summary>
public sealed class ServiceChain
{
    public Guid Id { get; init; }

    public Guid ChainId { get; init; }

    public int Version { get; init; }

    public required string Title { get; set; }

    public LifeDomain LifeDomain { get; set; }

    public Guid? WorkingGroupId { get; init; }

    public List<ChainStepData> Steps { get; set; } = [];

    public ServiceChainStatus Status { get; set; }

    public string? ResolutionNumber { get; set; }

    public DateTime CreatedAt { get; init; }
}

internal sealed class ServiceChainConfiguration : IEntityTypeConfiguration<ServiceChain>
{
    public void Configure(EntityTypeBuilder<ServiceChain> chain)
    {
        chain.ToTable("ServiceChains");
        chain.HasKey(c => c.Id);
        chain.Property(c => c.Id).ValueGeneratedNever();
        chain.HasIndex(c => new { c.ChainId, c.Version }).IsUnique();
        chain.Property(c => c.Title).HasMaxLength(200);
        chain.Property(c => c.LifeDomain).HasConversion<string>().HasMaxLength(40);
        chain.Property(c => c.Steps).HasJsonConversion();
        chain.Property(c => c.Status).HasConversion<string>().HasMaxLength(20);
        chain.Property(c => c.ResolutionNumber).HasMaxLength(20);
    }
}
