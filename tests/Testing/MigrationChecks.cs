using Kim.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Xunit;

namespace Kim.Testing;

/// <summary>
/// What every service's two database flavours (SQLite, SQL Server) must keep: no model change without a migration, and
/// SQL Server migrations that generate one idempotent script, written to <c>artifacts/sql/&lt;service&gt;.sql</c> for
/// the operators who apply it. EF Core's own checks, the ones <c>dotnet ef migrations has-pending-model-changes</c> and
/// <c>dotnet ef migrations script --idempotent</c> run, without starting the tool once per context.
/// </summary>
public static class MigrationChecks
{
    public static void AssertNoPendingModelChanges(DbContext context, string project)
    {
        var name = context.GetType().Name;
        var provider = context.Database.IsSqlServer() ? "SqlServer" : "Sqlite";
        Assert.False(context.Database.HasPendingModelChanges(),
            $"{name} has model changes without a migration: dotnet ef migrations add <Name> --project src/{project} --context {name} --output-dir Infrastructure/Migrations/{provider}");
    }

    /// <summary>Generates the SQL Server script, checks it applies every migration, writes it and reports its size.</summary>
    public static void AssertSqlServerScriptGenerates(DbContext context, string project)
    {
        Assert.True(context.Database.IsSqlServer(), $"{context.GetType().Name} is not the SQL Server flavour");
        var script = context.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);
        var migrations = context.Database.GetMigrations().ToList();

        Assert.NotEmpty(migrations);
        Assert.All(migrations, id => Assert.Contains($"[MigrationId] = N'{id}'", script, StringComparison.Ordinal));
        var folder = Path.Combine(RepositoryPaths.Root, "artifacts", "sql");
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, project.ToLowerInvariant() + ".sql");
        File.WriteAllText(file, script);
        TestFigures.Append("figures.txt",
            $"SQL Server migration script generated: artifacts/sql/{Path.GetFileName(file)} ({script.Split('\n').Length} lines, {migrations.Count} migration{(migrations.Count == 1 ? "" : "s")})");
    }
}
