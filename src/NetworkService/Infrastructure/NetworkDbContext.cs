using Kim.NetworkService.Organisations;
using Kim.ServiceDefaults.Messaging;
using Kim.ServiceDefaults.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Kim.NetworkService.Infrastructure;

/// <summary>The network registry and governance data, with outbox and inbox.</summary>
public abstract class NetworkDbContext(DbContextOptions options) : DbContext(options), IMessagingDbContext
{
    public DbSet<Organisation> Organisations => Set<Organisation>();

    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    public DbSet<InboxMessage> InboxMessages => Set<InboxMessage>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Organisation>(organisation =>
        {
            organisation.ToTable("Organisations");
            organisation.HasKey(o => o.Id);
            organisation.Property(o => o.Id).ValueGeneratedNever();
            organisation.Property(o => o.Name).HasMaxLength(200);
            organisation.HasIndex(o => o.Name).IsUnique();
            organisation.Property(o => o.Type).HasConversion<string>().HasMaxLength(40);
        });
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
