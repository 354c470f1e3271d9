using Kim.ServiceDefaults.Security;

namespace Kim.AppHost;

/// <summary>Development secrets kept under the data folder: the token signing key and one pseudonymisation key per tenant. Created on first use, readable by the owner only.</summary>
public sealed class DevSecrets(string dataDirectory)
{
    public string Directory { get; } = Path.Combine(dataDirectory, "secrets");

    public string SigningKey() => GetOrCreate("dev-signing-key");

    public string PseudonymKey(string tenant) => GetOrCreate($"pseudonym-{tenant}.key");

    private string GetOrCreate(string name)
    {
        var path = Path.Combine(Directory, name);
        if (File.Exists(path))
        {
            var existing = File.ReadAllText(path).Trim();
            if (existing.Length > 0)
            {
                return existing;
            }
        }

        System.IO.Directory.CreateDirectory(Directory);
        var secret = DevTokens.NewSigningKey();
        File.WriteAllText(path, secret);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return secret;
    }
}
