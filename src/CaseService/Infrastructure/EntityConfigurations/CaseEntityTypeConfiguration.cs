using Kim.CaseService.Cases;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kim.CaseService.Infrastructure.EntityConfigurations;

internal sealed class CaseEntityTypeConfiguration : IEntityTypeConfiguration<Case>
{
    public void Configure(EntityTypeBuilder<Case> builder)
    {
        builder.ToTable("Cases");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.Property(c => c.CaseKey).HasMaxLength(40);
        builder.HasIndex(c => c.CaseKey).IsUnique();
        builder.Property(c => c.Phase).HasConversion<string>().HasMaxLength(30);
        builder.HasOne(c => c.Client).WithMany().HasForeignKey(c => c.ClientId);
    }
}

internal sealed class ClientEntityTypeConfiguration : IEntityTypeConfiguration<Client>
{
    public void Configure(EntityTypeBuilder<Client> builder)
    {
        builder.ToTable("Clients");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.Property(c => c.GivenName).HasMaxLength(200);
        builder.Property(c => c.FamilyName).HasMaxLength(200);
    }
}
