using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Kim.ServiceDefaults.Persistence;

public static class PersistenceExtensions
{
    /// <summary>
    /// Registers <typeparamref name="TContext"/> on SQLite or SQL Server. Each provider has its own migrations,
    /// kept on a provider-specific subclass (<typeparamref name="TSqlite"/>, <typeparamref name="TSqlServer"/>),
    /// so both sets keep generating from one model.
    /// </summary>
    public static IHostApplicationBuilder AddKimDbContext<TContext, TSqlite, TSqlServer>(
        this IHostApplicationBuilder builder, string connectionName, params IInterceptor[] interceptors)
        where TContext : DbContext
        where TSqlite : TContext
        where TSqlServer : TContext
    {
        var options = builder.Configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>() ?? new DatabaseOptions();
        var connectionString = builder.Configuration.GetConnectionString(connectionName);

        if (options.Provider == DatabaseProvider.SqlServer)
        {
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                throw new InvalidOperationException($"Database:Provider is SqlServer but ConnectionStrings:{connectionName} is not set.");
            }

            builder.Services.AddDbContext<TContext, TSqlServer>((services, db) =>
                db.UseSqlServer(connectionString).AddInterceptors(Interceptors(services, interceptors)));
        }
        else
        {
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                var folder = Path.GetFullPath(options.DataDirectory, builder.Environment.ContentRootPath);
                connectionString = $"Data Source={Path.Combine(folder, connectionName + ".db")}";
            }

            EnsureSqliteFolder(connectionString);
            builder.Services.AddDbContext<TContext, TSqlite>((services, db) =>
                db.UseSqlite(connectionString).AddInterceptors([new SqliteConnectionSetup(), .. Interceptors(services, interceptors)]));
        }

        builder.Services.AddHealthChecks().AddCheck<DbContextHealthCheck<TContext>>(
            $"database-{connectionName}", HealthStatus.Unhealthy, [Extensions.ReadyTag]);
        builder.Services.AddSingleton(new DatabaseStartup(options.MigrateOnStartup ?? builder.Environment.IsDevelopment()));
        return builder;
    }

    /// <summary>Applies pending migrations at start-up when configured (the default in Development).</summary>
    public static async Task MigrateDbContextAsync<TContext>(this WebApplication app) where TContext : DbContext
    {
        if (!app.Services.GetRequiredService<DatabaseStartup>().Migrate)
        {
            return;
        }

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        var logger = scope.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(PersistenceExtensions));
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            await db.Database.MigrateAsync();
            if (db.Database.IsSqlite())
            {
                // WAL lets the outbox dispatcher read while a request writes.
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
            }
        });
        logger.LogInformation("Database {Context} migrated", typeof(TContext).Name);
    }

    private static IInterceptor[] Interceptors(IServiceProvider services, IInterceptor[] fixedInterceptors) =>
        [.. fixedInterceptors, .. services.GetServices<IInterceptor>()];

    private static void EnsureSqliteFolder(string connectionString)
    {
        var dataSource = new SqliteConnectionStringBuilder(connectionString).DataSource;
        var folder = Path.GetDirectoryName(Path.GetFullPath(dataSource));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }
    }

    private sealed record DatabaseStartup(bool Migrate);

    private sealed class DbContextHealthCheck<TContext>(TContext db) : IHealthCheck where TContext : DbContext
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            await db.Database.CanConnectAsync(cancellationToken)
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy("database unreachable");
    }
}
