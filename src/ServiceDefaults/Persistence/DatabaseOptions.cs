namespace Kim.ServiceDefaults.Persistence;

/// <summary>Section <c>Database</c>: which EF Core provider a service uses and whether it migrates at start-up.</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    /// <summary><see cref="DatabaseProvider.Sqlite"/> (embedded default, one file per service instance) or <see cref="DatabaseProvider.SqlServer"/>.</summary>
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Folder of the SQLite file when no connection string is given.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>Apply migrations at start-up. Defaults to true in Development; production applies the generated scripts.</summary>
    public bool? MigrateOnStartup { get; set; }
}

public enum DatabaseProvider
{
    Sqlite,
    SqlServer,
}
