using Kim.CaseService.Tenancy;
using Microsoft.Extensions.Options;

namespace Kim.UnitTests;

public sealed class CaseKeyTests
{
    private static CaseKeys KeysOf(string base64Secret) =>
        new(Options.Create(new TenantOptions { Id = "caritas", PseudonymKey = base64Secret }));

    private static readonly string SecretA = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
    private static readonly string SecretB = Convert.ToBase64String(Enumerable.Range(2, 32).Select(i => (byte)i).ToArray());

    [Fact]
    public void The_same_case_always_gets_the_same_key()
    {
        var caseId = Guid.NewGuid();
        Assert.Equal(KeysOf(SecretA).For(caseId), KeysOf(SecretA).For(caseId));
    }

    [Fact]
    public void Another_tenant_secret_gives_another_key()
    {
        var caseId = Guid.NewGuid();
        Assert.NotEqual(KeysOf(SecretA).For(caseId), KeysOf(SecretB).For(caseId));
    }

    [Fact]
    public void Keys_are_url_safe_and_do_not_contain_the_case_id()
    {
        var keys = KeysOf(SecretA);
        var distinct = new HashSet<string>();
        for (var i = 0; i < 1000; i++)
        {
            var caseId = Guid.NewGuid();
            var key = keys.For(caseId);
            Assert.Equal(22, key.Length);
            Assert.Matches("^[A-Za-z0-9_-]+$", key);
            Assert.DoesNotContain(caseId.ToString("N")[..8], key, StringComparison.OrdinalIgnoreCase);
            distinct.Add(key);
        }

        Assert.Equal(1000, distinct.Count);
    }

    [Theory]
    [InlineData("", false)]
    [InlineData("not base64!", false)]
    [InlineData("AAAA", false)]
    [InlineData("AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=", true)]
    public void Pseudonym_secret_must_be_base64_of_at_least_32_bytes(string secret, bool usable) =>
        Assert.Equal(usable, TenantOptions.HasUsableKey(new TenantOptions { Id = "caritas", PseudonymKey = secret }));
}
