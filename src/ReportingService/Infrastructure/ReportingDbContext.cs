using Kim.ReportingService.EventStore;
using Kim.ReportingService.Overview;
using Kim.ServiceDefaults.Messaging;
using Kim.ServiceDefaults.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Kim.ReportingService.Infrastructure;

/// <summary>The event store, the projections built from it, and the inbox.</summary>
public abstract class ReportingDbContext(DbContextOptions options) : DbContext(options), IMessagingDbContext
{
    public DbSet<StoredEvent> StoredEvents => Set<StoredEvent>();

    public DbSet<CaseSnapshot> CaseSnapshots => Set<CaseSnapshot>();

    public DbSet<State.StateSubmission> StateSubmissions => Set<State.StateSubmission>();

    public DbSet<Submission.MunicipalSubmission> MunicipalSubmissions => Set<Submission.MunicipalSubmission>();

    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    public DbSet<InboxMessage> InboxMessages => Set<InboxMessage>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Submission.MunicipalSubmission>(submission =>
        {
            submission.ToTable("MunicipalSubmissions");
            submission.Property(s => s.Id).ValueGeneratedNever();
            submission.Property(s => s.Period).HasMaxLength(10);
            submission.HasIndex(s => s.Period).IsUnique();
            submission.Property(s => s.Status).HasConversion<string>().HasMaxLength(20);
            submission.Property(s => s.LastEditedBy).HasMaxLength(200);
            submission.Property(s => s.ApprovedBy).HasMaxLength(200);
            submission.Property(s => s.ApproverName).HasMaxLength(200);
            submission.Property(s => s.SubmittedBy).HasMaxLength(200);
        });
        modelBuilder.Entity<State.StateSubmission>(submission =>
        {
            submission.ToTable("StateSubmissions");
            submission.Property(s => s.Id).ValueGeneratedNever();
            submission.Property(s => s.Period).HasMaxLength(10);
            submission.Property(s => s.MunicipalityId).HasMaxLength(5);
            submission.Property(s => s.MunicipalityName).HasMaxLength(100);
            submission.Property(s => s.Kind).HasMaxLength(20);
            submission.Property(s => s.ImportedBy).HasMaxLength(200);
            submission.HasIndex(s => new { s.Period, s.MunicipalityId }).IsUnique();
        });
        modelBuilder.Entity<StoredEvent>(events =>
        {
            events.ToTable("StoredEvents");
            events.HasKey(e => e.MessageId);
            events.Property(e => e.MessageId).ValueGeneratedNever();
            events.Property(e => e.EventType).HasMaxLength(100);
            events.Property(e => e.TenantId).HasMaxLength(40);
            events.HasIndex(e => new { e.EventType, e.OccurredAt });
        });
        modelBuilder.Entity<CaseSnapshot>(cases =>
        {
            cases.ToTable("CaseSnapshots");
            cases.HasKey(c => new { c.TenantId, c.CaseKey });
            cases.Property(c => c.TenantId).HasMaxLength(40);
            cases.Property(c => c.CaseKey).HasMaxLength(64);
            cases.Property(c => c.Phase).HasConversion<string>().HasMaxLength(30);
            cases.Property(c => c.AgeBand).HasMaxLength(10);
            cases.Property(c => c.ResidenceCategory).HasMaxLength(40);
            cases.Property(c => c.AccessRoute).HasMaxLength(40);
            cases.Ignore(c => c.IsOpen);
        });
        modelBuilder.ApplyMessagingModel();
    }
}

public sealed class SqliteReportingDbContext(DbContextOptions<SqliteReportingDbContext> options) : ReportingDbContext(options);

public sealed class SqlServerReportingDbContext(DbContextOptions<SqlServerReportingDbContext> options) : ReportingDbContext(options);

internal sealed class SqliteReportingDbContextFactory : IDesignTimeDbContextFactory<SqliteReportingDbContext>
{
    public SqliteReportingDbContext CreateDbContext(string[] args) => new(DesignTimeOptions.Sqlite<SqliteReportingDbContext>());
}

internal sealed class SqlServerReportingDbContextFactory : IDesignTimeDbContextFactory<SqlServerReportingDbContext>
{
    public SqlServerReportingDbContext CreateDbContext(string[] args) => new(DesignTimeOptions.SqlServer<SqlServerReportingDbContext>());
}
