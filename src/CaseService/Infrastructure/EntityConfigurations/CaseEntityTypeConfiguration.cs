using Kim.CaseService.Audit;
using Kim.CaseService.Cases;
using Kim.CaseService.Consents;
using Kim.CaseService.Documents;
using Kim.CaseService.Network;
using Kim.CaseService.Reconstructions;
using Kim.CaseService.Referrals;
using Kim.ServiceDefaults.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kim.CaseService.Infrastructure.EntityConfigurations;

// Enums are stored by name, free text has a bound, and every child row belongs to its case.

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
        builder.Property(c => c.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(c => c.AccessRoute).HasConversion<string>().HasMaxLength(30);
        builder.Property(c => c.AssignedTo).HasMaxLength(200);
        builder.Property(c => c.Version).IsConcurrencyToken();
        builder.HasMany(c => c.Deputies).WithOne().HasForeignKey(d => d.CaseId);
        builder.Property(c => c.NotIndicatedReason).HasMaxLength(1000);
        builder.Property(c => c.ReferredToType).HasConversion<string>().HasMaxLength(40);
        builder.Property(c => c.ClosureReason).HasMaxLength(1000);
        builder.OwnsOne(c => c.Indication, indication => indication.Property(i => i.DecidedBy).HasMaxLength(200));
        builder.HasIndex(c => new { c.Status, c.Phase });
        builder.HasIndex(c => c.AssignedTo);
        builder.Property(c => c.ImportReference).HasMaxLength(50);
        builder.HasIndex(c => c.ImportReference).IsUnique();

        // The case list (status, newest first, then id) and the supervision view walk this index in order and stop
        // after the page; the count and the "mine" and phase filters read responsibility and phase from it too.
        builder.HasIndex(c => new { c.Status, c.OpenedAt, c.Id, c.AssignedTo, c.Phase }, "IX_Cases_Status_OpenedAt")
            .IsDescending(false, true, false, false, false);
        builder.HasOne(c => c.Client).WithMany().HasForeignKey(c => c.ClientId);
        builder.HasMany(c => c.Assessments).WithOne().HasForeignKey(a => a.CaseId);
        builder.HasMany(c => c.Goals).WithOne().HasForeignKey(g => g.CaseId);
        builder.HasMany(c => c.PlanItems).WithOne().HasForeignKey(p => p.CaseId);
        builder.HasMany(c => c.Referrals).WithOne().HasForeignKey(r => r.CaseId);
        builder.HasMany(c => c.Deliveries).WithOne().HasForeignKey(d => d.CaseId);
        builder.HasMany(c => c.Reviews).WithOne().HasForeignKey(r => r.CaseId);
        builder.HasMany(c => c.History).WithOne().HasForeignKey(h => h.CaseId);
        builder.HasMany(c => c.Consents).WithOne().HasForeignKey(c => c.CaseId);
        builder.Navigation(c => c.Indication).IsRequired(false);
        builder.Ignore(c => c.AgreedGoals);
    }
}

internal sealed class ClientEntityTypeConfiguration : IEntityTypeConfiguration<Client>
{
    public void Configure(EntityTypeBuilder<Client> builder)
    {
        builder.ToTable("Clients");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.Property(c => c.ProtectedIdentity).HasMaxLength(4000);
        builder.Property(c => c.NameHash).HasMaxLength(64);
        builder.Property(c => c.FamilyNameHash).HasMaxLength(64);
        builder.Property(c => c.PersonHash).HasMaxLength(64);
        builder.HasIndex(c => c.PersonHash);
        builder.HasMany(c => c.NameTokens).WithOne().HasForeignKey(t => t.ClientId);
        builder.HasIndex(c => c.NameHash);
        builder.HasIndex(c => c.FamilyNameHash);
        builder.Property(c => c.Languages).HasJsonConversion().HasMaxLength(400);
        builder.Property(c => c.ResidenceStatus).HasConversion<string>().HasMaxLength(40);
    }
}

internal sealed class CaseWorkConfiguration :
    IEntityTypeConfiguration<LifeDomainAssessment>, IEntityTypeConfiguration<Goal>, IEntityTypeConfiguration<PlanItem>,
    IEntityTypeConfiguration<ServiceDelivery>, IEntityTypeConfiguration<CaseReview>, IEntityTypeConfiguration<PhaseChange>
{
    public void Configure(EntityTypeBuilder<LifeDomainAssessment> builder)
    {
        builder.ToTable("Assessments");
        builder.Property(a => a.Id).ValueGeneratedNever();
        builder.Property(a => a.LifeDomain).HasConversion<string>().HasMaxLength(40);
        builder.HasIndex(a => new { a.CaseId, a.LifeDomain }).IsUnique();
        builder.Property(a => a.Situation).HasMaxLength(4000);
        builder.Property(a => a.Resources).HasMaxLength(4000);
        builder.Property(a => a.Needs).HasMaxLength(4000);
        builder.Property(a => a.ClientView).HasMaxLength(4000);
    }

    public void Configure(EntityTypeBuilder<Goal> builder)
    {
        builder.ToTable("Goals");
        builder.Property(g => g.Id).ValueGeneratedNever();
        builder.Property(g => g.LifeDomain).HasConversion<string>().HasMaxLength(40);
        builder.Property(g => g.Description).HasMaxLength(1000);
        builder.Property(g => g.Evaluation).HasConversion<string>().HasMaxLength(30);
    }

    public void Configure(EntityTypeBuilder<PlanItem> builder)
    {
        builder.ToTable("PlanItems");
        builder.Property(p => p.Id).ValueGeneratedNever();
        builder.Property(p => p.Title).HasMaxLength(300);
        builder.Property(p => p.ResponsibleOrganisationName).HasMaxLength(300);
        builder.Property(p => p.LifeDomain).HasConversion<string>().HasMaxLength(40);
        builder.Property(p => p.LegalDomain).HasConversion<string>().HasMaxLength(40);
    }

    public void Configure(EntityTypeBuilder<ServiceDelivery> builder)
    {
        builder.ToTable("ServiceDeliveries");
        builder.Property(d => d.Id).ValueGeneratedNever();
        builder.Property(d => d.Note).HasMaxLength(2000);
    }

    public void Configure(EntityTypeBuilder<CaseReview> builder)
    {
        builder.ToTable("CaseReviews");
        builder.Property(r => r.Id).ValueGeneratedNever();
        builder.Property(r => r.Kind).HasConversion<string>().HasMaxLength(20);
        builder.Property(r => r.Participants).HasJsonConversion().HasMaxLength(1000);
        builder.Property(r => r.Outcome).HasMaxLength(4000);
        builder.Property(r => r.RecordedBy).HasMaxLength(200);
    }

    public void Configure(EntityTypeBuilder<PhaseChange> builder)
    {
        builder.ToTable("PhaseChanges");
        builder.Property(h => h.From).HasConversion<string>().HasMaxLength(30);
        builder.Property(h => h.To).HasConversion<string>().HasMaxLength(30);
        builder.Property(h => h.Reason).HasMaxLength(1000);
        builder.Property(h => h.By).HasMaxLength(200);
    }
}

internal sealed class CaseRecordsConfiguration :
    IEntityTypeConfiguration<CaseDeputy>, IEntityTypeConfiguration<JournalEntry>, IEntityTypeConfiguration<FollowUp>,
    IEntityTypeConfiguration<ClientChange>, IEntityTypeConfiguration<ClientNameToken>, IEntityTypeConfiguration<CaseDocument>,
    IEntityTypeConfiguration<DocumentContent>
{
    public void Configure(EntityTypeBuilder<CaseDeputy> builder)
    {
        builder.ToTable("CaseDeputies");
        builder.HasKey(d => new { d.CaseId, d.UserId });
        builder.Property(d => d.UserId).HasMaxLength(200);
        builder.HasIndex(d => d.UserId);
    }

    public void Configure(EntityTypeBuilder<JournalEntry> builder)
    {
        builder.ToTable("JournalEntries");
        builder.Property(j => j.Id).ValueGeneratedNever();
        builder.Property(j => j.Kind).HasConversion<string>().HasMaxLength(30);
        builder.Property(j => j.ProtectedText).HasMaxLength(16000);
        builder.Property(j => j.RecordedBy).HasMaxLength(200);
        builder.HasOne<Case>().WithMany().HasForeignKey(j => j.CaseId);
        builder.HasIndex(j => new { j.CaseId, j.OccurredOn });
    }

    public void Configure(EntityTypeBuilder<FollowUp> builder)
    {
        builder.ToTable("FollowUps");
        builder.Property(f => f.Id).ValueGeneratedNever();
        builder.Property(f => f.Kind).HasConversion<string>().HasMaxLength(20);
        builder.Property(f => f.Title).HasMaxLength(300);
        builder.Property(f => f.AssignedTo).HasMaxLength(200);
        builder.Property(f => f.CreatedBy).HasMaxLength(200);
        builder.Property(f => f.DoneBy).HasMaxLength(200);

        // Done only once: the update is conditional on the follow-up still being open.
        builder.Property(f => f.DoneAt).IsConcurrencyToken();
        builder.HasOne<Case>().WithMany().HasForeignKey(f => f.CaseId);
        builder.HasIndex(f => new { f.AssignedTo, f.DueOn });
        builder.HasIndex(f => f.CaseId);
    }

    public void Configure(EntityTypeBuilder<ClientChange> builder)
    {
        builder.ToTable("ClientChanges");
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.Property(c => c.Fields).HasJsonConversion().HasMaxLength(400);
        builder.Property(c => c.ProtectedPrevious).HasMaxLength(4000);
        builder.Property(c => c.Reason).HasMaxLength(1000);
        builder.Property(c => c.By).HasMaxLength(200);
        builder.HasOne<Client>().WithMany().HasForeignKey(c => c.ClientId);
        builder.HasIndex(c => c.ClientId);
    }

    public void Configure(EntityTypeBuilder<ClientNameToken> builder)
    {
        builder.ToTable("ClientNameTokens");
        builder.HasKey(t => new { t.Hash, t.ClientId });
        builder.Property(t => t.Hash).HasMaxLength(32);
        builder.HasIndex(t => t.ClientId);
    }

    public void Configure(EntityTypeBuilder<CaseDocument> builder)
    {
        builder.ToTable("Documents");
        builder.Property(d => d.Id).ValueGeneratedNever();
        builder.Property(d => d.ProtectedFileName).HasMaxLength(1000);
        builder.Property(d => d.ContentType).HasMaxLength(40);
        builder.Property(d => d.UploadedBy).HasMaxLength(200);
        builder.HasOne<Case>().WithMany().HasForeignKey(d => d.CaseId);
        builder.HasIndex(d => d.CaseId);
    }

    public void Configure(EntityTypeBuilder<DocumentContent> builder)
    {
        builder.ToTable("DocumentContents");
        builder.HasKey(c => c.DocumentId);
        builder.HasOne<CaseDocument>().WithOne().HasForeignKey<DocumentContent>(c => c.DocumentId);
    }
}

internal sealed class ConsentConfiguration : IEntityTypeConfiguration<Consent>
{
    public void Configure(EntityTypeBuilder<Consent> builder)
    {
        builder.ToTable("Consents");
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.Property(c => c.Purpose).HasConversion<string>().HasMaxLength(40);
        builder.Property(c => c.ProviderType).HasConversion<string>().HasMaxLength(40);
        builder.Property(c => c.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(c => c.GivenBy).HasConversion<string>().HasMaxLength(20);
        builder.Property(c => c.RepresentativeRole).HasMaxLength(100);
        builder.Property(c => c.EvidenceReference).HasMaxLength(300);
        builder.Property(c => c.RecordedBy).HasMaxLength(200);
        builder.Property(c => c.WithdrawalReason).HasMaxLength(1000);
        builder.HasIndex(c => new { c.CaseId, c.Purpose });
    }
}

internal sealed class ReferralConfiguration : IEntityTypeConfiguration<Referral>, IEntityTypeConfiguration<IncomingReferral>
{
    public void Configure(EntityTypeBuilder<Referral> builder)
    {
        builder.ToTable("Referrals");
        builder.Property(r => r.Id).ValueGeneratedNever();
        builder.Property(r => r.ProviderOrganisationName).HasMaxLength(300);
        builder.Property(r => r.ProviderType).HasConversion<string>().HasMaxLength(40);
        builder.Property(r => r.ProviderTenantId).HasMaxLength(40);
        builder.Property(r => r.LegalDomain).HasConversion<string>().HasMaxLength(40);
        builder.Property(r => r.LifeDomain).HasConversion<string>().HasMaxLength(40);
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(r => r.Reason).HasMaxLength(1000);
        builder.Property(r => r.FailureReason).HasConversion<string>().HasMaxLength(30);
        builder.HasIndex(r => r.Status);
    }

    public void Configure(EntityTypeBuilder<IncomingReferral> builder)
    {
        builder.ToTable("IncomingReferrals");
        builder.Property(r => r.Id).ValueGeneratedNever();
        builder.Property(r => r.SourceTenantId).HasMaxLength(40);
        builder.Property(r => r.SourceCaseKey).HasMaxLength(40);
        builder.Property(r => r.PlanItemTitle).HasMaxLength(300);
        builder.Property(r => r.LifeDomain).HasConversion<string>().HasMaxLength(40);
        builder.Property(r => r.LegalDomain).HasConversion<string>().HasMaxLength(40);
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(r => r.Reason).HasMaxLength(1000);
        builder.Property(r => r.ProtectedIdentity).HasMaxLength(4000);

        // Every status change by the provider raises the sequence: two concurrent changes cannot both win.
        builder.Property(r => r.StatusSequence).IsConcurrencyToken();

        // The list of incoming referrals, newest first.
        builder.HasIndex(r => r.ReceivedAt);
    }
}

internal sealed class NetworkReplicaConfiguration :
    IEntityTypeConfiguration<ProviderOrganisation>, IEntityTypeConfiguration<AdoptedServiceChain>, IEntityTypeConfiguration<CaseReconstruction>
{
    public void Configure(EntityTypeBuilder<ProviderOrganisation> builder)
    {
        builder.ToTable("ProviderOrganisations");
        builder.Property(o => o.Id).ValueGeneratedNever();
        builder.Property(o => o.Name).HasMaxLength(300);
        builder.Property(o => o.Type).HasConversion<string>().HasMaxLength(40);
        builder.Property(o => o.TenantId).HasMaxLength(40);
    }

    public void Configure(EntityTypeBuilder<AdoptedServiceChain> builder)
    {
        builder.ToTable("ServiceChains");
        builder.HasKey(c => new { c.ChainId, c.Version });
        builder.Property(c => c.Title).HasMaxLength(300);
        builder.Property(c => c.LifeDomain).HasConversion<string>().HasMaxLength(40);
        builder.Property(c => c.Steps).HasJsonConversion();
        builder.Property(c => c.ResolutionNumber).HasMaxLength(40);
    }

    public void Configure(EntityTypeBuilder<CaseReconstruction> builder)
    {
        builder.ToTable("CaseReconstructions");
        builder.Property(r => r.Id).ValueGeneratedNever();
        builder.Property(r => r.Title).HasMaxLength(300);
        builder.Property(r => r.Barriers).HasJsonConversion();
        builder.Property(r => r.SubmittedBy).HasMaxLength(200);
    }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.ToTable("AuditEntries");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).ValueGeneratedNever();
        builder.HasIndex(a => a.Sequence).IsUnique();

        // The officer's view of one resource or one person, in chain order.
        builder.HasIndex(a => new { a.ResourceId, a.Sequence });
        builder.HasIndex(a => new { a.User, a.Sequence });
        builder.Property(a => a.User).HasMaxLength(200);
        builder.Property(a => a.Role).HasMaxLength(200);
        builder.Property(a => a.Tenant).HasMaxLength(40);
        builder.Property(a => a.Action).HasMaxLength(80);
        builder.Property(a => a.ResourceType).HasMaxLength(40);
        builder.Property(a => a.ResourceId).HasMaxLength(80);
        builder.Property(a => a.Purpose).HasMaxLength(60);
        builder.Property(a => a.PreviousHash).HasMaxLength(64);
        builder.Property(a => a.Hash).HasMaxLength(64);
    }
}
