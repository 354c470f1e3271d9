using Kim.NetworkService.Infrastructure;
using Kim.ServiceDefaults.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kim.NetworkService.Organisations;

internal sealed class OrganisationConfiguration : IEntityTypeConfiguration<Organisation>
{
    public void Configure(EntityTypeBuilder<Organisation> organisation)
    {
        organisation.ToTable("Organisations");
        organisation.HasKey(o => o.Id);
        organisation.Property(o => o.Id).ValueGeneratedNever();
        organisation.Property(o => o.Name).HasMaxLength(200);
        organisation.HasIndex(o => o.Name).IsUnique();
        organisation.Property(o => o.Type).HasConversion<string>().HasMaxLength(40);
        organisation.Property(o => o.TenantId).HasMaxLength(100);
        organisation.Property(o => o.LegalDomains).HasJsonConversion();
        organisation.Property(o => o.Contacts).HasJsonConversion();
    }
}

internal sealed class ServiceOfferConfiguration : IEntityTypeConfiguration<ServiceOffer>
{
    public void Configure(EntityTypeBuilder<ServiceOffer> offer)
    {
        offer.ToTable("ServiceOffers");
        offer.HasKey(o => o.Id);
        offer.Property(o => o.Id).ValueGeneratedNever();
        offer.Property(o => o.Title).HasMaxLength(200);
        offer.Property(o => o.Description).HasMaxLength(2000);
        offer.Property(o => o.AccessConditions).HasMaxLength(2000);
        offer.Property(o => o.LegalDomain).HasConversion<string>().HasMaxLength(40);
        offer.Property(o => o.LifeDomain).HasConversion<string>().HasMaxLength(40);
        offer.HasOne<Organisation>().WithMany().HasForeignKey(o => o.OrganisationId).OnDelete(DeleteBehavior.Restrict);
        offer.HasIndex(o => new { o.LegalDomain, o.LifeDomain });
    }
}
