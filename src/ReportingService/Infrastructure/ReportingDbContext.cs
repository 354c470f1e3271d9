using Kim.ReportingService.EventStore;
using Kim.ReportingService.ReadModels;
using Kim.ServiceDefaults.Messaging;
using Kim.ServiceDefaults.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Kim.ReportingService.Infrastructure;

/// <summary>The event store, the read model built from it, the submissions, and the inbox.</summary>
public abstract class ReportingDbContext(DbContextOptions options) : DbContext(options), IMessagingDbContext
{
    public DbSet<StoredEvent> StoredEvents => Set<StoredEvent>();

    public DbSet<ReportCounter> ReportCounters => Set<ReportCounter>();

    public DbSet<OpenReferral> OpenReferrals => Set<OpenReferral>();

    public DbSet<TenantActivity> TenantActivities => Set<TenantActivity>();

    public DbSet<ReadModelState> ReadModelStates => Set<ReadModelState>();

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
            events.Property(e => e.CaseKey).HasMaxLength(64);
            events.HasIndex(e => new { e.EventType, e.OccurredAt });
            // A case's events for the read model, and the rebuild's walk case by case.
            events.HasIndex(e => new { e.TenantId, e.CaseKey });
            // What arrived since a rebuild's watermark.
            events.HasIndex(e => e.ReceivedAt);
        });
        modelBuilder.Entity<ReportCounter>(counters =>
        {
            counters.ToTable("ReportCounters");
            counters.HasKey(c => new { c.Generation, c.Report, c.Dimension, c.Month, c.Bucket });
            counters.Property(c => c.Report).HasMaxLength(40);
            counters.Property(c => c.Dimension).HasMaxLength(200);
            counters.Property(c => c.Month).HasMaxLength(7);
        });
        modelBuilder.Entity<OpenReferral>(open =>
        {
            open.ToTable("OpenReferrals");
            // Per case: a referral id another case (or tenant) also uses cannot block either.
            open.HasKey(o => new { o.Generation, o.TenantId, o.CaseKey, o.ReferralId });
            open.Property(o => o.TenantId).HasMaxLength(40);
            open.Property(o => o.CaseKey).HasMaxLength(64);
            open.Property(o => o.Step).HasMaxLength(60);
        });
        modelBuilder.Entity<TenantActivity>(activity =>
        {
            activity.ToTable("TenantActivities");
            activity.HasKey(a => a.TenantId);
            activity.Property(a => a.TenantId).HasMaxLength(40);
        });
        modelBuilder.Entity<ReadModelState>(state =>
        {
            state.ToTable("ReadModelState");
            state.Property(s => s.Id).ValueGeneratedNever();
            state.Property(s => s.CursorTenant).HasMaxLength(40);
            state.Property(s => s.CursorCaseKey).HasMaxLength(64);
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
