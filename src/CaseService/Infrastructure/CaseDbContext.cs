using Kim.CaseService.Audit;
using Kim.CaseService.Cases;
using Kim.CaseService.Consents;
using Kim.CaseService.Documents;
using Kim.CaseService.Network;
using Kim.CaseService.Reconstructions;
using Kim.CaseService.Referrals;
using Kim.ServiceDefaults.Messaging;
using Kim.ServiceDefaults.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Kim.CaseService.Infrastructure;

/// <summary>
/// The tenant's case data, with its outbox and inbox. Saving chains new audit entries onto the log and refuses
/// to change or delete existing ones: the audit log is append-only.
/// </summary>
public abstract class CaseDbContext(DbContextOptions options) : DbContext(options), IMessagingDbContext
{
    public DbSet<Client> Clients => Set<Client>();

    public DbSet<Case> Cases => Set<Case>();

    public DbSet<LifeDomainAssessment> Assessments => Set<LifeDomainAssessment>();

    public DbSet<Goal> Goals => Set<Goal>();

    public DbSet<PlanItem> PlanItems => Set<PlanItem>();

    public DbSet<Referral> Referrals => Set<Referral>();

    public DbSet<IncomingReferral> IncomingReferrals => Set<IncomingReferral>();

    public DbSet<ServiceDelivery> Deliveries => Set<ServiceDelivery>();

    public DbSet<CaseReview> Reviews => Set<CaseReview>();

    public DbSet<PhaseChange> PhaseChanges => Set<PhaseChange>();

    public DbSet<Consent> Consents => Set<Consent>();

    public DbSet<CaseReconstruction> Reconstructions => Set<CaseReconstruction>();

    public DbSet<ProviderOrganisation> ProviderOrganisations => Set<ProviderOrganisation>();

    public DbSet<AdoptedServiceChain> ServiceChains => Set<AdoptedServiceChain>();

    public DbSet<CaseDeputy> Deputies => Set<CaseDeputy>();

    public DbSet<JournalEntry> Journal => Set<JournalEntry>();

    public DbSet<FollowUp> FollowUps => Set<FollowUp>();

    public DbSet<ClientChange> ClientChanges => Set<ClientChange>();

    public DbSet<ClientNameToken> ClientNameTokens => Set<ClientNameToken>();

    public DbSet<CaseDocument> Documents => Set<CaseDocument>();

    public DbSet<DocumentContent> DocumentContents => Set<DocumentContent>();

    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    public DbSet<InboxMessage> InboxMessages => Set<InboxMessage>();

    /// <summary>Queues an audit entry; it is chained and saved with the change it describes.</summary>
    public void Audit(AuditEntry entry) => AuditEntries.Add(entry);

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        var appended = GuardAuditLog();
        if (appended.Count == 0)
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }

        if (Database.CurrentTransaction is not null)
        {
            // The caller's transaction (a consumer's) already serialises the append.
            await LinkAsync(appended, cancellationToken);
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }

        // Read the chain's end and append in one transaction; a concurrent writer that took the same end fails the
        // unique sequence index, and the append is linked again onto the new end.
        for (var attempt = 1; ; attempt++)
        {
            await using var transaction = await Database.BeginTransactionAsync(cancellationToken);
            try
            {
                await LinkAsync(appended, cancellationToken);
                var saved = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return saved;
            }
            catch (DbUpdateException exception) when (exception is not DbUpdateConcurrencyException && attempt < 5)
            {
                await transaction.RollbackAsync(cancellationToken);
            }
        }
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess) =>
        throw new NotSupportedException("Use SaveChangesAsync: it chains the audit log.");

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(CaseDbContext).Assembly);
        modelBuilder.ApplyMessagingModel();
    }

    private async Task LinkAsync(List<AuditEntry> appended, CancellationToken cancellationToken)
    {
        var last = await AuditEntries.AsNoTracking().OrderByDescending(a => a.Sequence).FirstOrDefaultAsync(cancellationToken);
        foreach (var entry in appended)
        {
            AuditChain.Link(entry, last);
            last = entry;
        }
    }

    private List<AuditEntry> GuardAuditLog()
    {
        var appended = new List<AuditEntry>();
        foreach (var entry in ChangeTracker.Entries<AuditEntry>())
        {
            switch (entry.State)
            {
                case EntityState.Added:
                    appended.Add(entry.Entity);
                    break;
                case EntityState.Modified or EntityState.Deleted:
                    throw new InvalidOperationException("The audit log is append-only.");
            }
        }

        return appended;
    }
}

/// <summary>SQLite flavour; owns the SQLite migrations.</summary>
public sealed class SqliteCaseDbContext(DbContextOptions<SqliteCaseDbContext> options) : CaseDbContext(options);

/// <summary>SQL Server flavour; owns the SQL Server migrations.</summary>
public sealed class SqlServerCaseDbContext(DbContextOptions<SqlServerCaseDbContext> options) : CaseDbContext(options);

internal sealed class SqliteCaseDbContextFactory : IDesignTimeDbContextFactory<SqliteCaseDbContext>
{
    public SqliteCaseDbContext CreateDbContext(string[] args) => new(DesignTimeOptions.Sqlite<SqliteCaseDbContext>());
}

internal sealed class SqlServerCaseDbContextFactory : IDesignTimeDbContextFactory<SqlServerCaseDbContext>
{
    public SqlServerCaseDbContext CreateDbContext(string[] args) => new(DesignTimeOptions.SqlServer<SqlServerCaseDbContext>());
}
