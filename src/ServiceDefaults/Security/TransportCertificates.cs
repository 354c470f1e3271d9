using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Kim.ServiceDefaults.Security;

/// <summary>
/// The certificate authorities one connection between sites trusts, read from a PEM file (one certificate, or a bundle
/// of the old and the new one while a certificate is rotated). A peer's certificate counts only when it chains up to
/// one of them: the system's trust store plays no part, so a certificate any public CA issued for the same name fails.
/// </summary>
public sealed class TrustedCertificateAuthorities
{
    /// <summary>Extended key usage "server authentication".</summary>
    public const string ServerAuthentication = "1.3.6.1.5.5.7.3.1";

    /// <summary>Extended key usage "client authentication".</summary>
    public const string ClientAuthentication = "1.3.6.1.5.5.7.3.2";

    private readonly X509Certificate2Collection roots;

    private TrustedCertificateAuthorities(X509Certificate2Collection roots) => this.roots = roots;

    /// <summary>Reads every certificate of a PEM file; a file without one is a configuration error, never "trust all".</summary>
    public static TrustedCertificateAuthorities FromPemFile(string path)
    {
        var certificates = new X509Certificate2Collection();
        certificates.ImportFromPemFile(path);
        if (certificates.Count == 0)
        {
            throw new InvalidOperationException($"The CA file {Path.GetFileName(path)} holds no certificate.");
        }

        return new TrustedCertificateAuthorities(certificates);
    }

    /// <summary>How many CA certificates the file held (two while a CA is rotated).</summary>
    public int Count => roots.Count;

    /// <summary>
    /// Whether <paramref name="certificate"/> chains up to one of the trusted CAs and may be used for
    /// <paramref name="usage"/> (<see cref="ServerAuthentication"/> or <see cref="ClientAuthentication"/>). Intermediate
    /// certificates the peer sent are used to build the chain; revocation is not checked (the CAs publish no lists,
    /// a compromised certificate is removed by rotating the CA).
    /// </summary>
    public bool Trusts(X509Certificate? certificate, X509Chain? presented, string usage)
    {
        if (certificate is null)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid(usage));
        if (presented is not null)
        {
            foreach (var element in presented.ChainElements)
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        var leaf = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(leaf);
    }

    /// <summary>
    /// A server certificate check for a TLS client: the name must match (<see cref="SslPolicyErrors.RemoteCertificateNameMismatch"/>
    /// fails) and the chain must end at one of these CAs.
    /// </summary>
    public bool ValidateServer(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors) =>
        (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) == SslPolicyErrors.None
        && Trusts(certificate, chain, ServerAuthentication);
}

/// <summary>Certificates for connections between sites, read from PEM files.</summary>
public static class TransportCertificates
{
    /// <summary>
    /// A server certificate check for a TLS client: against <paramref name="authorities"/> only when given, else the
    /// system's trust store. Never accepts a certificate with any error.
    /// </summary>
    public static RemoteCertificateValidationCallback ServerValidation(TrustedCertificateAuthorities? authorities) =>
        authorities is null
            ? (_, _, _, errors) => errors == SslPolicyErrors.None
            : (_, certificate, chain, errors) => authorities.ValidateServer(certificate, chain, errors);

    /// <summary>A certificate with its private key from a PEM certificate file and a PEM key file (unencrypted).</summary>
    public static X509Certificate2 LoadWithKey(string certificateFile, string keyFile)
    {
        using var pem = X509Certificate2.CreateFromPemFile(certificateFile, keyFile);
        // An ephemeral key cannot be used by TLS on every platform; a PKCS#12 round trip gives a usable one.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>
    /// Makes a Kestrel https endpoint require a client certificate that <paramref name="authorities"/> issued for client
    /// authentication; any other (or none) is refused at the TLS handshake, before a request is read.
    /// </summary>
    public static void RequireClientCertificate(Microsoft.AspNetCore.Server.Kestrel.Https.HttpsConnectionAdapterOptions https, TrustedCertificateAuthorities authorities)
    {
        https.ClientCertificateMode = Microsoft.AspNetCore.Server.Kestrel.Https.ClientCertificateMode.RequireCertificate;
        https.ClientCertificateValidation = (certificate, chain, _) => authorities.Trusts(certificate, chain, TrustedCertificateAuthorities.ClientAuthentication);
    }

    /// <summary>The CA file's authorities, or null when no file is configured.</summary>
    public static TrustedCertificateAuthorities? AuthoritiesOrNull(string? caFile) =>
        string.IsNullOrWhiteSpace(caFile) ? null : TrustedCertificateAuthorities.FromPemFile(caFile);

    /// <summary>The client certificate, or null when neither file is configured; one without the other is an error.</summary>
    public static X509Certificate2? ClientCertificateOrNull(string? certificateFile, string? keyFile, string settingPrefix)
    {
        var hasCertificate = !string.IsNullOrWhiteSpace(certificateFile);
        var hasKey = !string.IsNullOrWhiteSpace(keyFile);
        if (hasCertificate != hasKey)
        {
            throw new InvalidOperationException($"{settingPrefix}:ClientCertificateFile and {settingPrefix}:ClientKeyFile must be set together.");
        }

        return hasCertificate ? LoadWithKey(certificateFile!, keyFile!) : null;
    }
}
