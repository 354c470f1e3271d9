using Kim.Contracts;
using Kim.Contracts.Network;
using Kim.NetworkService.Organisations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kim.NetworkService.Agreements;

public enum AgreementKind
{
    /// <summary>Kooperationsvereinbarung with any organisation of the registry (carrier, Jobcenter, immigration authority ...).</summary>
    Cooperation,

    /// <summary>Weiterleitungsvertrag: case-management positions funded through the municipality at a carrier or member town.</summary>
    Forwarding,
}

public enum AgreementStatus
{
    Draft,
    Signed,
}

/// <summary>
/// A cooperation agreement with an organisation of the registry, or a forwarding contract with a carrier or member
/// town (only those get forwarded CM positions).
/// </summary>
public sealed class Agreement
{
    public Guid Id { get; init; }

    public AgreementKind Kind { get; init; }

    public Guid PartnerOrganisationId { get; init; }

    /// <summary>The partner's type in the registry when the agreement was drafted.</summary>
    public OrganisationType PartnerType { get; init; }

    /// <summary>Carrier or member town; null for any other partner, which can only have a cooperation agreement.</summary>
    public ForwardingPartnerKind? PartnerKind { get; init; }

    /// <summary>The partner's tenant on the platform: always set for a forwarding contract, for a cooperation agreement only if it has one.</summary>
    public string? PartnerTenantId { get; init; }

    public decimal Fte { get; set; }

    public required string SupervisionArrangement { get; set; }

    public bool UsesCommonInstruments { get; set; }

    public DateOnly ValidFrom { get; set; }

    public DateOnly? ValidUntil { get; set; }

    public AgreementStatus Status { get; set; }

    public DateTime? SignedAt { get; set; }

    public string? SignedBy { get; set; }

    public DateTime CreatedAt { get; init; }
}

internal sealed class AgreementConfiguration : IEntityTypeConfiguration<Agreement>
{
    public void Configure(EntityTypeBuilder<Agreement> agreement)
    {
        agreement.ToTable("Agreements");
        agreement.HasKey(a => a.Id);
        agreement.Property(a => a.Id).ValueGeneratedNever();
        agreement.Property(a => a.Kind).HasConversion<string>().HasMaxLength(20);
        agreement.Property(a => a.PartnerType).HasConversion<string>().HasMaxLength(40);
        agreement.Property(a => a.PartnerKind).HasConversion<string>().HasMaxLength(20);
        agreement.Property(a => a.PartnerTenantId).HasMaxLength(100);
        agreement.Property(a => a.Fte).HasPrecision(6, 2);
        agreement.Property(a => a.SupervisionArrangement).HasMaxLength(2000);
        agreement.Property(a => a.Status).HasConversion<string>().HasMaxLength(20);
        agreement.Property(a => a.SignedBy).HasMaxLength(200);
        agreement.HasOne<Organisation>().WithMany().HasForeignKey(a => a.PartnerOrganisationId).OnDelete(DeleteBehavior.Restrict);
    }
}
