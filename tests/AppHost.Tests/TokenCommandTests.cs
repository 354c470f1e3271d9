using Kim.Cli;
using Kim.Hosting;
using Kim.ServiceDefaults.Security;
using Kim.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Kim.AppHost.Tests;

public sealed class TokenCommandTests : IDisposable
{
    private readonly TestDirectories directories = new("token");

    private IConfiguration Configuration => new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?> { ["Platform:DataDirectory"] = directories.Path })
        .Build();

    [Fact]
    public async Task Token_is_signed_with_the_platform_key_and_carries_tenant_role_and_user()
    {
        var output = new StringWriter();
        var exit = TokenCommand.Run(["--tenant", "caritas", "--role", "case-manager", "--user", "anna"], output, new StringWriter(), Configuration);

        Assert.Equal(0, exit);
        var key = new DevSecrets(directories.Path).SigningKey();
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(output.ToString().Trim(), new TokenValidationParameters
        {
            ValidIssuer = DevTokens.Issuer,
            ValidAudience = DevTokens.Audience,
            IssuerSigningKey = DevTokens.SecurityKey(key),
        });
        Assert.True(result.IsValid, result.Exception?.Message);
        Assert.Equal("caritas", result.Claims[KimClaims.Tenant]);
        Assert.Equal("case-manager", result.Claims[KimClaims.Role]);
        Assert.Equal("anna", result.Claims[KimClaims.Subject]);
    }

    [Fact]
    public void Signing_key_is_created_once_and_readable_by_the_owner_only()
    {
        var secrets = new DevSecrets(directories.Path);
        var first = secrets.SigningKey();

        Assert.Equal(first, new DevSecrets(directories.Path).SigningKey());
        Assert.Equal(32, Convert.FromBase64String(first).Length);
        Assert.NotEqual(secrets.PseudonymKey("caritas"), secrets.PseudonymKey("diakonie"));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(secrets.Directory, "dev-signing-key")));
        }
    }

    [Theory]
    [InlineData("--tenant", "caritas")]
    [InlineData("--tenant", "caritas", "--role", "superuser")]
    [InlineData("--tenant", "../x", "--role", "case-manager")]
    public void Missing_or_unknown_arguments_print_usage_and_no_token(params string[] arguments)
    {
        var output = new StringWriter();
        var error = new StringWriter();

        Assert.Equal(2, TokenCommand.Run(arguments, output, error, Configuration));
        Assert.Empty(output.ToString());
        Assert.NotEmpty(error.ToString());
    }

    public void Dispose() => directories.Dispose();
}
