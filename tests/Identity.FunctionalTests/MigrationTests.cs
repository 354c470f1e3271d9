using Kim.Identity.Infrastructure;
using Kim.ServiceDefaults.Persistence;
using Kim.Testing;

namespace Kim.Identity.FunctionalTests;

/// <summary>The provider's model has its migrations for SQLite and SQL Server, and the SQL Server script generates.</summary>
public sealed class MigrationTests
{
    [Fact]
    public void Every_model_change_has_a_migration()
    {
        using var sqlite = new SqliteIdentityDb(DesignTimeOptions.Sqlite<SqliteIdentityDb>());
        using var sqlServer = new SqlServerIdentityDb(DesignTimeOptions.SqlServer<SqlServerIdentityDb>());

        MigrationChecks.AssertNoPendingModelChanges(sqlite, "Identity");
        MigrationChecks.AssertNoPendingModelChanges(sqlServer, "Identity");
    }

    [Fact]
    public void The_sql_server_migrations_generate_an_idempotent_script()
    {
        using var sqlServer = new SqlServerIdentityDb(DesignTimeOptions.SqlServer<SqlServerIdentityDb>());
        MigrationChecks.AssertSqlServerScriptGenerates(sqlServer, "Identity");
    }
}
