using Microsoft.EntityFrameworkCore;

namespace Kim.ServiceDefaults.Persistence;

/// <summary>Options for <c>dotnet ef</c> design-time factories; the connection is never opened when generating migrations or scripts.</summary>
public static class DesignTimeOptions
{
    public static DbContextOptions<TContext> Sqlite<TContext>() where TContext : DbContext =>
        new DbContextOptionsBuilder<TContext>().UseSqlite("Data Source=design-time.db").Options;

    public static DbContextOptions<TContext> SqlServer<TContext>() where TContext : DbContext =>
        new DbContextOptionsBuilder<TContext>().UseSqlServer("Server=localhost;Database=kim_design_time;Trusted_Connection=True;TrustServerCertificate=True").Options;
}
