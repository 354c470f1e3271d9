using Kim.NetworkService.Agreements;
using Kim.NetworkService.GoalSystems;
using Kim.NetworkService.Notifications;
using Kim.NetworkService.Organisations;
using Kim.NetworkService.ServiceChains;
using Kim.NetworkService.Steering;
using Kim.NetworkService.Themes;
using Kim.NetworkService.WorkingGroups;
using Kim.ServiceDefaults.Messaging;
using Kim.ServiceDefaults.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Kim.NetworkService.Infrastructure;

/// <summary>The network registry and governance data, with outbox and inbox.</summary>
public abstract class NetworkDbContext(DbContextOptions options) : DbContext(options), IMessagingDbContext
{
    public DbSet<Organisation> Organisations => Set<Organisation>();

    public DbSet<ServiceOffer> ServiceOffers => Set<ServiceOffer>();

    public DbSet<SteeringMember> SteeringMembers => Set<SteeringMember>();

    public DbSet<SteeringSeat> SteeringSeats => Set<SteeringSeat>();

    public DbSet<RulesOfProcedure> RulesOfProcedure => Set<RulesOfProcedure>();

    public DbSet<Meeting> Meetings => Set<Meeting>();

    public DbSet<MinutesVersion> MinutesVersions => Set<MinutesVersion>();

    public DbSet<Motion> Motions => Set<Motion>();

    public DbSet<Vote> Votes => Set<Vote>();

    public DbSet<WorkingGroup> WorkingGroups => Set<WorkingGroup>();

    public DbSet<WorkingGroupResult> WorkingGroupResults => Set<WorkingGroupResult>();

    public DbSet<GenerativeTheme> Themes => Set<GenerativeTheme>();

    public DbSet<ThemeEvidence> ThemeEvidence => Set<ThemeEvidence>();

    public DbSet<ThemeBarrier> ThemeBarriers => Set<ThemeBarrier>();

    public DbSet<GoalSystem> GoalSystems => Set<GoalSystem>();

    public DbSet<IndicatorValue> IndicatorValues => Set<IndicatorValue>();

    public DbSet<ServiceChain> ServiceChains => Set<ServiceChain>();

    public DbSet<Agreement> Agreements => Set<Agreement>();

    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    /// <summary>E-mails to send (invitations), saved with the change they announce.</summary>
    public DbSet<Notification> Notifications => Set<Notification>();

    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    public DbSet<InboxMessage> InboxMessages => Set<InboxMessage>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(NetworkDbContext).Assembly);
        modelBuilder.ApplyMessagingModel();
    }
}

public sealed class SqliteNetworkDbContext(DbContextOptions<SqliteNetworkDbContext> options) : NetworkDbContext(options);

public sealed class SqlServerNetworkDbContext(DbContextOptions<SqlServerNetworkDbContext> options) : NetworkDbContext(options);

internal sealed class SqliteNetworkDbContextFactory : IDesignTimeDbContextFactory<SqliteNetworkDbContext>
{
    public SqliteNetworkDbContext CreateDbContext(string[] args) => new(DesignTimeOptions.Sqlite<SqliteNetworkDbContext>());
}

internal sealed class SqlServerNetworkDbContextFactory : IDesignTimeDbContextFactory<SqlServerNetworkDbContext>
{
    public SqlServerNetworkDbContext CreateDbContext(string[] args) => new(DesignTimeOptions.SqlServer<SqlServerNetworkDbContext>());
}
