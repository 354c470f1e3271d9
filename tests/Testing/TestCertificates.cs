using System.Diagnostics;

namespace Kim.Testing;

/// <summary>
/// A throw-away municipal CA made with <c>openssl</c> at test time, with a server certificate for <c>localhost</c> and
/// <c>127.0.0.1</c> (the broker's and the carrier's), a client certificate (the municipal gateway's, the services'), and a
/// second, foreign CA with a server and a client certificate of its own. PEM files in a temporary folder; the keys are
/// readable by their owner only. Valid for two days.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    private readonly TestDirectories directory = new("certificates");

    private TestCertificates()
    {
    }

    public string Folder => directory.Path;

    /// <summary>The municipal CA's certificate (what <c>CaFile</c> settings name).</summary>
    public string CaFile => File("ca.pem");

    public string ServerCertificateFile => File("server.pem");

    public string ServerKeyFile => File("server.key");

    public string ClientCertificateFile => File("client.pem");

    public string ClientKeyFile => File("client.key");

    /// <summary>Another organisation's CA: its certificates must be refused wherever the municipal CA is configured.</summary>
    public string ForeignCaFile => File("foreign-ca.pem");

    public string ForeignServerCertificateFile => File("foreign-server.pem");

    public string ForeignServerKeyFile => File("foreign-server.key");

    public string ForeignClientCertificateFile => File("foreign-client.pem");

    public string ForeignClientKeyFile => File("foreign-client.key");

    /// <summary>Both CAs in one file, as during a CA rotation (old and new).</summary>
    public string BothCasFile => File("both-cas.pem");

    public static TestCertificates Create()
    {
        var certificates = new TestCertificates();
        try
        {
            certificates.CreateAuthority("ca", "KIM Test Municipal CA");
            certificates.CreateAuthority("foreign-ca", "KIM Test Foreign CA");
            certificates.CreateLeaf("ca", "server", "localhost", server: true);
            certificates.CreateLeaf("ca", "client", "kim-gateway", server: false);
            certificates.CreateLeaf("foreign-ca", "foreign-server", "localhost", server: true);
            certificates.CreateLeaf("foreign-ca", "foreign-client", "foreign-gateway", server: false);
            System.IO.File.WriteAllText(certificates.BothCasFile,
                System.IO.File.ReadAllText(certificates.ForeignCaFile) + System.IO.File.ReadAllText(certificates.CaFile));
            return certificates;
        }
        catch
        {
            certificates.Dispose();
            throw;
        }
    }

    private string File(string name) => Path.Combine(directory.Path, name);

    private void CreateAuthority(string name, string commonName)
    {
        OpenSsl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", File(name + ".key"), "-out", File(name + ".pem"), "-days", "2", "-subj", "/CN=" + commonName,
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        OwnerOnly(File(name + ".key"));
    }

    private void CreateLeaf(string authority, string name, string commonName, bool server)
    {
        var extensions = File(name + ".ext");
        System.IO.File.WriteAllLines(extensions, server
            ? ["basicConstraints=CA:FALSE", "keyUsage=critical,digitalSignature,keyEncipherment", "extendedKeyUsage=serverAuth", "subjectAltName=DNS:localhost,IP:127.0.0.1"]
            : ["basicConstraints=CA:FALSE", "keyUsage=critical,digitalSignature,keyEncipherment", "extendedKeyUsage=clientAuth"]);
        OpenSsl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", File(name + ".key"), "-out", File(name + ".csr"), "-subj", "/CN=" + commonName);
        OwnerOnly(File(name + ".key"));
        OpenSsl("x509", "-req", "-in", File(name + ".csr"), "-CA", File(authority + ".pem"), "-CAkey", File(authority + ".key"),
            "-CAcreateserial", "-out", File(name + ".pem"), "-days", "2", "-extfile", extensions);
    }

    private static void OwnerOnly(string file)
    {
        if (!OperatingSystem.IsWindows())
        {
            System.IO.File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    private void OpenSsl(params string[] arguments)
    {
        var start = new ProcessStartInfo("openssl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = directory.Path,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("openssl could not be started.");
        var error = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"openssl {arguments[0]} failed with {process.ExitCode}: {error.Result}");
        }
    }

    public void Dispose() => directory.Dispose();
}
