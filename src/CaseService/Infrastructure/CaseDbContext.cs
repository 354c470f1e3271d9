using Kim.CaseService.Cases;
using Kim.ServiceDefaults.Messaging;
using Kim.ServiceDefaults.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Kim.CaseService.Infrastructure;

/// <summary>The tenant's case data, with its outbox and inbox.</summary>
public abstract class CaseDbContext(DbContextOptions options) : DbContext(options), IMessagingDbContext
{
    public DbSet<Client> Clients => Set<Client>();

    public DbSet<Case> Cases => Set<Case>();

    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    public DbSet<InboxMessage> InboxMessages => Set<InboxMessage>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(CaseDbContext).Assembly);
        modelBuilder.ApplyMessagingModel();
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
