using Kim.Identity.Keys;
using Kim.Testing;

namespace Kim.Identity.FunctionalTests;

public sealed class KeyStoreTests : IDisposable
{
    private readonly TestDirectories directories = new("keys");

    [Fact]
    public void Keys_are_kept_and_a_new_signing_key_comes_after_the_rotation_period_while_the_old_one_stays_published()
    {
        var clock = new TestClock();
        var store = new KeyStore(directories.Path, "pw", TimeSpan.FromDays(90), clock);
        var first = store.SigningCertificates();
        Assert.Single(first);

        clock.Advance(TimeSpan.FromDays(30));
        Assert.Equal(first[0].Thumbprint, Assert.Single(store.SigningCertificates()).Thumbprint);

        clock.Advance(TimeSpan.FromDays(61));
        var rotated = store.SigningCertificates();
        Assert.Equal(2, rotated.Count);
        Assert.NotEqual(first[0].Thumbprint, rotated[0].Thumbprint);
        Assert.Equal(first[0].Thumbprint, rotated[1].Thumbprint);

        clock.Advance(TimeSpan.FromDays(300));
        Assert.DoesNotContain(store.SigningCertificates(), c => c.Thumbprint == first[0].Thumbprint);
        Assert.Throws<System.Security.Cryptography.CryptographicException>(() => new KeyStore(directories.Path, "wrong", TimeSpan.FromDays(90), clock).SigningCertificates());
    }

    public void Dispose() => directories.Dispose();
}
