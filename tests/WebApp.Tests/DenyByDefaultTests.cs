using System.Net;
using System.Security.Claims;
using Kim.ServiceDefaults.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Kim.WebApp.Tests;

/// <summary>
/// The front end denies by default as the services do: a signed-in person needs a tenant and one of the platform's
/// roles for every page and download; anyone else signed in gets the refusal page (and may still sign out).
/// </summary>
public sealed class DenyByDefaultTests : IAsyncLifetime
{
    /// <summary>Stands in for the session cookie: who is signed in, as <c>tenant;role,role</c>.</summary>
    private const string SignedInHeader = "X-Test-Signed-In";

    private WebApplication? app;
    private Uri address = null!;

    public async Task InitializeAsync()
    {
        // The design system's files are copied by the front end's own build only; this test needs none of them.
        Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "kern"));
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production", ApplicationName = typeof(WebAppOptions).Assembly.GetName().Name });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["WebApp:PublicAddress"] = "http://127.0.0.1/",
            ["WebApp:Authority"] = "http://127.0.0.1:9/identity/",
            ["WebApp:ClientSecret"] = "not-used",
            ["WebApp:RequireHttpsMetadata"] = "false",
        });
        builder.Services.AddTransient<IStartupFilter, SignedInFromHeader>();
        builder.AddWebApp();
        app = builder.Build();
        app.UseWebApp();
        await app.StartAsync();
        address = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());
    }

    private HttpClient SignedIn(string tenant, params string[] roles)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = address };
        client.DefaultRequestHeaders.Add(SignedInHeader, $"{tenant};{string.Join(',', roles)}");
        return client;
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/faelle")]
    [InlineData("/faelle/00000000-0000-0000-0000-000000000001/einwilligungen/00000000-0000-0000-0000-000000000002/quittung")]
    public async Task A_signed_in_account_without_a_platform_role_gets_the_refusal_page_not_the_page(string path)
    {
        foreach (var roles in new[] { Array.Empty<string>(), ["admin"], ["Case-Manager"], ["*"] })
        {
            using var client = SignedIn("caritas", roles);

            using var response = await client.GetAsync(path);

            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/kein-zugriff", response.Headers.Location?.PathAndQuery ?? "", StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_platform_role_without_a_tenant_is_refused_too()
    {
        using var client = SignedIn("", KimRoles.Operator);

        using var response = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/kein-zugriff", response.Headers.Location?.PathAndQuery ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_refusal_page_is_german_and_answers_without_a_role_and_signing_out_stays_open()
    {
        using var client = SignedIn("caritas");

        using var page = await client.GetAsync("/kein-zugriff");
        using var signOut = await client.PostAsync("/abmelden", null);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Kein Zugriff", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // Reached the endpoint (which refuses the missing form token), not the refusal page.
        Assert.Equal(HttpStatusCode.BadRequest, signOut.StatusCode);
    }

    [Fact]
    public async Task A_platform_role_of_a_tenant_gets_the_page()
    {
        using var client = SignedIn("land", KimRoles.StateReporter);

        using var response = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Meine Arbeit", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    public async Task DisposeAsync()
    {
        if (app is not null)
        {
            await app.DisposeAsync();
        }
    }

    /// <summary>Signs the request in as the header says, before the front end's own authentication runs (which finds no cookie).</summary>
    private sealed class SignedInFromHeader : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => builder =>
        {
            builder.Use(async (context, nextMiddleware) =>
            {
                if (context.Request.Headers[SignedInHeader].ToString() is { Length: > 0 } value)
                {
                    var (tenant, roles) = (value.Split(';')[0], value.Split(';')[1]);
                    var claims = new List<Claim> { new(KimClaims.Subject, "test-user"), new("name", "Test") };
                    if (tenant.Length > 0)
                    {
                        claims.Add(new Claim(KimClaims.Tenant, tenant));
                    }

                    claims.AddRange(roles.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(role => new Claim(KimClaims.Role, role)));
                    context.User = new ClaimsPrincipal(new ClaimsIdentity(claims, "test", "name", KimClaims.Role));
                }

                await nextMiddleware(context);
            });
            next(builder);
        };
    }
}
