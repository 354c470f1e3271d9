using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace Kim.Hosting;

/// <summary>Where the repository and the platform's development data (<c>.data</c>) are, recorded at build time.</summary>
public static class RepositoryPaths
{
    public const string DataDirectoryKey = "Platform:DataDirectory";

    public static string Root { get; } = Path.GetFullPath(typeof(RepositoryPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "KimRepositoryRoot").Value ?? ".");

    /// <summary><c>Platform:DataDirectory</c> (default <c>.data</c>), relative to the repository root unless rooted.</summary>
    public static string DataDirectory(IConfiguration configuration)
    {
        var configured = configuration[DataDirectoryKey];
        var folder = string.IsNullOrWhiteSpace(configured) ? ".data" : configured;
        return Path.IsPathRooted(folder) ? folder : Path.Combine(Root, folder);
    }
}
