using Kim.CaseService.Infrastructure;
using Kim.NetworkService.Infrastructure;
using Kim.ReportingService.Infrastructure;
using Kim.ServiceDefaults.Persistence;
using Kim.Testing;
using Microsoft.EntityFrameworkCore;

namespace Kim.UnitTests;

/// <summary>Each service's model has its migrations for SQLite and SQL Server, and the SQL Server script generates.</summary>
public sealed class MigrationTests
{
    public static TheoryData<string> Contexts() =>
        ["CaseService/Sqlite", "CaseService/SqlServer", "NetworkService/Sqlite", "NetworkService/SqlServer", "ReportingService/Sqlite", "ReportingService/SqlServer"];

    private static DbContext Create(string context) => context switch
    {
        "CaseService/Sqlite" => new SqliteCaseDbContext(DesignTimeOptions.Sqlite<SqliteCaseDbContext>()),
        "CaseService/SqlServer" => new SqlServerCaseDbContext(DesignTimeOptions.SqlServer<SqlServerCaseDbContext>()),
        "NetworkService/Sqlite" => new SqliteNetworkDbContext(DesignTimeOptions.Sqlite<SqliteNetworkDbContext>()),
        "NetworkService/SqlServer" => new SqlServerNetworkDbContext(DesignTimeOptions.SqlServer<SqlServerNetworkDbContext>()),
        "ReportingService/Sqlite" => new SqliteReportingDbContext(DesignTimeOptions.Sqlite<SqliteReportingDbContext>()),
        "ReportingService/SqlServer" => new SqlServerReportingDbContext(DesignTimeOptions.SqlServer<SqlServerReportingDbContext>()),
        _ => throw new ArgumentOutOfRangeException(nameof(context), context, null),
    };

    [Theory]
    [MemberData(nameof(Contexts))]
    public void Every_model_change_has_a_migration(string context)
    {
        using var db = Create(context);
        MigrationChecks.AssertNoPendingModelChanges(db, context.Split('/')[0]);
    }

    [Theory]
    [InlineData("CaseService/SqlServer")]
    [InlineData("NetworkService/SqlServer")]
    [InlineData("ReportingService/SqlServer")]
    public void The_sql_server_migrations_generate_an_idempotent_script(string context)
    {
        using var db = Create(context);
        MigrationChecks.AssertSqlServerScriptGenerates(db, context.Split('/')[0]);
    }
}
