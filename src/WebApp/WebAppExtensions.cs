using System.Globalization;
using Kim.ServiceDefaults;
using Kim.WebApp.Api;
using Kim.WebApp.Components;
using Kim.WebApp.Components.Pages.Steering;
using Kim.WebApp.SignIn;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.FileProviders;

namespace Kim.WebApp;

internal static class WebAppExtensions
{
    private static readonly CultureInfo German = CultureInfo.GetCultureInfo("de-DE");

    public static void AddWebApp(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(WebAppOptions.SectionName).Get<WebAppOptions>()
            ?? throw new InvalidOperationException("The section WebApp (PublicAddress, Authority, ClientSecret) is missing.");
        builder.Services.Configure<WebAppOptions>(builder.Configuration.GetSection(WebAppOptions.SectionName));
        builder.AddHostDefaults();
        var dataProtection = builder.Services.AddDataProtection().SetApplicationName("kim-webapp");
        if (!string.IsNullOrWhiteSpace(options.KeyDirectory))
        {
            dataProtection.PersistKeysToFileSystem(new DirectoryInfo(options.KeyDirectory));
        }

        builder.AddWebSignIn(options);
        builder.Services.AddGatewayClients(options);
        builder.Services.AddRazorComponents();
        builder.Services.AddAntiforgery(antiforgery => antiforgery.Cookie.Name = "kim.form");
    }

    public static void UseWebApp(this WebApplication app)
    {
        // Behind the gateway (which passes the original host): the scheme people use, when it terminates TLS.
        // It is reached only through the gateway (not published on its own), so the gateway's header is trusted wherever it runs.
        var forwarded = new ForwardedHeadersOptions { ForwardedHeaders = Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto };
        forwarded.KnownIPNetworks.Clear();
        forwarded.KnownProxies.Clear();
        app.UseForwardedHeaders(forwarded);
        app.UseRequestLocalization(new RequestLocalizationOptions
        {
            DefaultRequestCulture = new RequestCulture(German),
            SupportedCultures = [German],
            SupportedUICultures = [German],
        });
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/fehler", createScopeForErrors: true);
        }

        app.UseStatusCodePagesWithReExecute("/nicht-gefunden");
        app.Use(async (context, next) =>
        {
            // Same-origin only; no inline script. The gateway passes this policy on unchanged.
            context.Response.Headers.ContentSecurityPolicy =
                "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self' " + FormTargets(context)
                + "; frame-ancestors 'none'; base-uri 'self'; object-src 'none'";
            context.Response.Headers.XContentTypeOptions = "nosniff";
            context.Response.Headers["Referrer-Policy"] = "same-origin";
            await next();
        });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new PhysicalFileProvider(Path.Combine(AppContext.BaseDirectory, "kern")),
            RequestPath = "/kern",
        });
        app.UseStaticFiles();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.MapDefaultEndpoints();
        app.MapWebSignIn();
        app.MapConsentReceipts();
        app.MapCaseDocuments();
        Components.Pages.Monitoring.ReportDownloads.MapReportDownloads(app);
        app.MapSteeringDownloads();
        app.MapRazorComponents<App>();
    }

    /// <summary>Signing out posts a form whose answer redirects to the provider: allow that origin as a form target.</summary>
    private static string FormTargets(HttpContext context)
    {
        var authority = context.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<WebAppOptions>>().Value.Authority;
        return Uri.TryCreate(authority, UriKind.Absolute, out var uri) ? uri.GetLeftPart(UriPartial.Authority) : "";
    }
}
