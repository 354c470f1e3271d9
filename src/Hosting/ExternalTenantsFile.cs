using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;

namespace Kim.Hosting;

/// <summary>
/// The carrier-hosted tenants that the CLI's <c>add-tenant</c> registered, kept in the platform's data folder as
/// <c>tenants/external-tenants.json</c> in the shape of AppHost's configuration
/// (<c>{"Platform":{"ExternalTenants":{"awo":"https://..."}}}</c>). AppHost reads it as its lowest-priority
/// configuration source, so the gateway routes to these tenants from its next start on.
/// </summary>
public static class ExternalTenantsFile
{
    private const string Section = "Platform:ExternalTenants";

    public static string PathIn(string dataDirectory) => Path.Combine(dataDirectory, "tenants", "external-tenants.json");

    /// <summary>The registered tenants and their base URLs (none when the file does not exist).</summary>
    public static IReadOnlyDictionary<string, string> Read(string path)
    {
        if (!File.Exists(path))
        {
            return new Dictionary<string, string>();
        }

        var configuration = new ConfigurationBuilder().AddJsonFile(path, optional: false).Build();
        return configuration.GetSection(Section).GetChildren()
            .Where(entry => entry.Value is not null)
            .ToDictionary(entry => entry.Key, entry => entry.Value!, StringComparer.Ordinal);
    }

    /// <summary>Registers <paramref name="tenant"/> at <paramref name="baseUrl"/>, keeping the other entries; the file is replaced in one step.</summary>
    public static void Add(string path, string tenant, string baseUrl)
    {
        var tenants = new JsonObject();
        foreach (var (name, url) in Read(path))
        {
            tenants[name] = url;
        }

        tenants[tenant] = baseUrl;
        var document = new JsonObject { ["Platform"] = new JsonObject { ["ExternalTenants"] = tenants } };
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, document.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        File.Move(temporary, path, overwrite: true);
    }
}
