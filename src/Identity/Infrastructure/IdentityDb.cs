using Kim.Identity.Users;
using Kim.ServiceDefaults.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Kim.Identity.Infrastructure;

/// <summary>Users, roles and their second factors (ASP.NET Core Identity), OpenIddict's clients and tokens, and the audit of account changes.</summary>
public abstract class IdentityDb(DbContextOptions options) : IdentityDbContext<KimUser>(options)
{
    public DbSet<AccountAuditEntry> AccountAudit => Set<AccountAuditEntry>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.UseOpenIddict();
        builder.Entity<KimUser>(user =>
        {
            user.Property(u => u.Tenant).HasMaxLength(32);
            user.Property(u => u.DisplayName).HasMaxLength(200);
            user.HasIndex(u => u.Tenant);
        });
        builder.Entity<AccountAuditEntry>(audit =>
        {
            audit.ToTable("AccountAudit");
            audit.HasKey(a => a.Id);
            audit.Property(a => a.Actor).HasMaxLength(200);
            audit.Property(a => a.Action).HasMaxLength(80);
            audit.Property(a => a.SubjectUser).HasMaxLength(200);
            audit.Property(a => a.Tenant).HasMaxLength(32);
            audit.Property(a => a.Detail).HasMaxLength(400);
        });
    }
}

/// <summary>Append-only record of account administration: who created, changed, disabled or reset whom, and when.</summary>
public sealed class AccountAuditEntry
{
    public long Id { get; init; }

    public required DateTime At { get; init; }

    /// <summary>The subject (<c>sub</c>) of whoever acted; user ids, never names.</summary>
    public required string Actor { get; init; }

    public required string Action { get; init; }

    public required string SubjectUser { get; init; }

    public required string Tenant { get; init; }

    public string? Detail { get; init; }
}

public sealed class SqliteIdentityDb(DbContextOptions<SqliteIdentityDb> options) : IdentityDb(options);

public sealed class SqlServerIdentityDb(DbContextOptions<SqlServerIdentityDb> options) : IdentityDb(options);

internal sealed class SqliteIdentityDbFactory : IDesignTimeDbContextFactory<SqliteIdentityDb>
{
    public SqliteIdentityDb CreateDbContext(string[] args) => new(DesignTimeOptions.Sqlite<SqliteIdentityDb>());
}

internal sealed class SqlServerIdentityDbFactory : IDesignTimeDbContextFactory<SqlServerIdentityDb>
{
    public SqlServerIdentityDb CreateDbContext(string[] args) => new(DesignTimeOptions.SqlServer<SqlServerIdentityDb>());
}
