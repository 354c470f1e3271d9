using System.Security.Claims;
using Kim.ServiceDefaults.Security;

namespace Kim.WebApp;

/// <summary>The web front end's settings (section <c>WebApp</c>).</summary>
public sealed class WebAppOptions
{
    public const string SectionName = "WebApp";

    /// <summary>
    /// Where people reach the application: the gateway's public address (e.g. <c>http://127.0.0.1:8080/</c>). Redirects
    /// to and from the provider use it, so no forwarded header from the network decides where a sign-in returns to.
    /// </summary>
    public required Uri PublicAddress { get; set; }

    /// <summary>The OpenID Connect authority (issuer), e.g. the platform's provider at <c>/identity/</c>.</summary>
    public required string Authority { get; set; }

    /// <summary>Where the provider's discovery document is read from inside the platform (default: from the authority).</summary>
    public string? MetadataAddress { get; set; }

    public bool RequireHttpsMetadata { get; set; } = true;

    public string ClientId { get; set; } = "webapp";

    public required string ClientSecret { get; set; }

    /// <summary>The gateway the APIs are called through (default: the service named <c>gateway</c>).</summary>
    public Uri Gateway { get; set; } = new("http://gateway");

    /// <summary>Where the data-protection keys are kept (they protect the session cookie and the form tokens).</summary>
    public string? KeyDirectory { get; set; }

    /// <summary>A signed-in session ends after this much inactivity.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// The tenant of the coordinating office (set by the platform from <c>Platform:CoordinatingTenant</c>, as the
    /// NetworkService's <c>Network:CoordinatingTenant</c>). Empty (the default): nobody is offered the network's forms.
    /// </summary>
    public string CoordinatingTenant { get; set; } = "";

    /// <summary>The tenants the office delegated the network's records to: the same list as the NetworkService's <c>Network:DelegatedTenants</c>.</summary>
    public string[] DelegatedTenants { get; set; } = [];

    /// <summary>
    /// Whether <paramref name="user"/> keeps the network's records (registers, plans, tables, records), as the
    /// NetworkService decides: a coordinator whose one tenant is the coordinating office or a delegated tenant, matched
    /// exactly. Other coordinators only propose; the front end does not offer them forms the service would refuse.
    /// </summary>
    public bool KeepsNetwork(ClaimsPrincipal user) => NetworkKeepers.IsKeeper(user, CoordinatingTenant, DelegatedTenants);
}
