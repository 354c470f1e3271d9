using System.Security.Cryptography;
using Kim.CaseService.Cases;
using Kim.CaseService.Protection;
using Kim.CaseService.Tenancy;
using Kim.ServiceDefaults.Security;
using Microsoft.Extensions.Options;

namespace Kim.UnitTests.Cases;

public sealed class IdentityProtectorTests
{
    private static IdentityProtector ProtectorOf(string secret) =>
        new(Options.Create(new TenantOptions { Id = "caritas", PseudonymKey = secret }));

    private readonly IdentityProtector protector = ProtectorOf(DevTokens.NewSigningKey());
    private readonly ClientIdentity identity = new("Jürgen", "Groß-Öztürk", new DateOnly(1975, 6, 30), "+49 1", "j@example.org", "Weg 1");

    [Fact]
    public void Identity_round_trips_and_the_ciphertext_shows_none_of_it_and_differs_each_time()
    {
        var owner = Guid.NewGuid();
        var first = protector.Protect(owner, identity);
        var second = protector.Protect(owner, identity);

        Assert.Equal(identity, protector.Unprotect(owner, first));
        Assert.NotEqual(first, second);
        Assert.DoesNotContain("Öztürk", first, StringComparison.Ordinal);
        Assert.StartsWith("v1:", first, StringComparison.Ordinal);
    }

    [Fact]
    public void Ciphertext_moved_to_another_client_or_read_with_another_tenants_key_fails()
    {
        var protectedIdentity = protector.Protect(Guid.NewGuid(), identity);

        Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect(Guid.NewGuid(), protectedIdentity));
        Assert.ThrowsAny<CryptographicException>(() => ProtectorOf(DevTokens.NewSigningKey()).Unprotect(Guid.NewGuid(), protectedIdentity));
    }

    [Theory]
    [InlineData("JURGEN", "GROSS-OZTURK")]
    [InlineData("  jürgen ", "groß-öztürk")]
    [InlineData("Jurgen", "Gross-Ozturk")]
    public void Name_hash_ignores_case_accents_sharp_s_and_surrounding_blanks(string given, string family) =>
        Assert.Equal(protector.HashName(identity.GivenName, identity.FamilyName), protector.HashName(given, family));

    [Fact]
    public void Name_hash_differs_for_other_names_and_other_tenants()
    {
        var hash = protector.HashName("Jürgen", "Groß");
        Assert.NotEqual(hash, protector.HashName("Jürgen", "Grosz"));
        Assert.NotEqual(hash, ProtectorOf(DevTokens.NewSigningKey()).HashName("Jürgen", "Groß"));
    }
}

public sealed class NormaliseTests
{
    [Theory]
    [InlineData("Şükrü  Çelik", "sukru celik")]
    [InlineData("Łukasz Wójcik", "lukasz wojcik")]
    [InlineData("Zoë Brontë", "zoe bronte")]
    [InlineData("Straße", "strasse")]
    [InlineData("Ťažký Žák", "tazky zak")]
    [InlineData("Øyvind Ångström", "oyvind angstrom")]
    [InlineData("Иван", "иван")]
    public void Folds_latin_accents_and_keeps_other_scripts(string text, string expected) =>
        Assert.Equal(expected, IdentityProtector.Normalise(text));
}
