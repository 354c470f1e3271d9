using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Kim.Identity.Keys;

/// <summary>
/// The provider's signing and encryption certificates, kept as password-protected PKCS#12 files in
/// <c>Identity:KeyDirectory</c>, so tokens stay valid across restarts. Rotation: when the newest signing certificate
/// is older than <c>Identity:KeyRotation</c> (90 days), a new one is made and signs from then on; older ones stay
/// published (JWKS) until they expire, so tokens they signed still validate. Production may supply its own
/// certificates the same way (files in that folder).
/// </summary>
public sealed class KeyStore(string directory, string password, TimeSpan rotation, TimeProvider clock)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromDays(365);

    public IReadOnlyList<X509Certificate2> SigningCertificates() => Certificates("signing", X509KeyUsageFlags.DigitalSignature);

    public IReadOnlyList<X509Certificate2> EncryptionCertificates() => Certificates("encryption", X509KeyUsageFlags.KeyEncipherment);

    /// <summary>Valid certificates of one purpose, newest first; a new one when none is younger than the rotation period.</summary>
    private List<X509Certificate2> Certificates(string purpose, X509KeyUsageFlags usage)
    {
        Directory.CreateDirectory(directory);
        var now = clock.GetUtcNow();
        var certificates = Directory.GetFiles(directory, purpose + "-*.pfx")
            .Select(file => X509CertificateLoader.LoadPkcs12FromFile(file, password, X509KeyStorageFlags.EphemeralKeySet))
            .Where(c => c.NotAfter.ToUniversalTime() > now.UtcDateTime)
            .OrderByDescending(c => c.NotBefore)
            .ToList();
        if (certificates.Count == 0 || now.UtcDateTime - certificates[0].NotBefore.ToUniversalTime() > rotation)
        {
            certificates.Insert(0, Create(purpose, usage, now));
        }

        return certificates;
    }

    private X509Certificate2 Create(string purpose, X509KeyUsageFlags usage, DateTimeOffset now)
    {
        using var rsa = RSA.Create(3072);
        var request = new CertificateRequest($"CN=KIM Identity {purpose}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, critical: true));
        using var created = request.CreateSelfSigned(now.AddMinutes(-5), now.Add(Lifetime));
        var file = Path.Combine(directory, $"{purpose}-{now:yyyyMMddHHmmss}.pfx");
        File.WriteAllBytes(file, created.Export(X509ContentType.Pfx, password));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return X509CertificateLoader.LoadPkcs12FromFile(file, password, X509KeyStorageFlags.EphemeralKeySet);
    }
}
