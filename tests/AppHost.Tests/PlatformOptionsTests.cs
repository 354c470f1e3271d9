namespace Kim.AppHost.Tests;

public sealed class PlatformOptionsTests
{
    [Theory]
    [InlineData("Caritas")]
    [InlineData("../kommune")]
    [InlineData("a")]
    [InlineData("caritas-")]
    [InlineData("1caritas")]
    [InlineData("cari tas")]
    public void Invalid_tenant_names_are_refused(string tenant)
    {
        var error = Assert.Throws<ArgumentException>(() => new PlatformOptions { Tenants = [tenant] }.Validate());
        Assert.Contains(tenant, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tenant_configured_twice_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => new PlatformOptions { Tenants = ["caritas"], ExternalTenants = { ["caritas"] = "http://x" } }.Validate());
        Assert.Contains("caritas", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_entries_remove_default_tenants()
    {
        var options = new PlatformOptions { Tenants = ["kommune", "", " awo "] };

        options.Validate();
        Assert.Equal(["kommune", "awo"], options.EffectiveTenants);
        Assert.Equal(["kommune", "caritas", "diakonie"], new PlatformOptions().EffectiveTenants);
    }
}
