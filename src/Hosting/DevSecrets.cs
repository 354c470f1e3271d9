using Kim.ServiceDefaults.Security;

namespace Kim.Hosting;

/// <summary>Development secrets kept under the data folder: the token signing key and one pseudonymisation key per tenant. Created on first use, readable by the owner only.</summary>
public sealed class DevSecrets(string dataDirectory)
{
    public string Directory { get; } = Path.Combine(dataDirectory, "secrets");

    public string SigningKey() => GetOrCreate("dev-signing-key");

    public string PseudonymKey(string tenant) => GetOrCreate($"pseudonym-{tenant}.key");

    /// <summary>Hex, so it needs no escaping in an amqp URI.</summary>
    public string BrokerPassword(string resource) => Secret($"broker-{resource}.key");

    /// <summary>A random secret of 48 hex characters under <paramref name="name"/> (passwords of key files, development users, clients).</summary>
    public string Secret(string name) =>
        GetOrCreate(name, () => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24)));

    private string GetOrCreate(string name, Func<string>? create = null)
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
        var secret = create?.Invoke() ?? DevTokens.NewSigningKey();
        File.WriteAllText(path, secret);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return secret;
    }
}
