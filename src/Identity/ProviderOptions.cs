using Kim.ServiceDefaults.Security;
using Microsoft.Extensions.Options;

namespace Kim.Identity;

/// <summary>The OpenID Connect provider's settings (section <c>Identity</c>).</summary>
public sealed class ProviderOptions
{
    public const string SectionName = "Identity";

    /// <summary>
    /// The public issuer, as people and services reach it: the gateway's address with <see cref="PathBase"/>
    /// (e.g. <c>http://127.0.0.1:8080/identity/</c>). Empty: the request's own address.
    /// </summary>
    public string? Issuer { get; set; }

    /// <summary>The path under which the gateway serves the provider; the provider serves the same path itself.</summary>
    public string PathBase { get; set; } = "/identity";

    /// <summary>Where the signing and encryption certificates live (default: <c>keys</c> beside the database).</summary>
    public string? KeyDirectory { get; set; }

    /// <summary>The password of the certificate files. Required.</summary>
    public string? KeyPassword { get; set; }

    public TimeSpan KeyRotation { get; set; } = TimeSpan.FromDays(90);

    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromHours(10);

    /// <summary>Plain http for the provider's endpoints: development behind the local gateway only.</summary>
    public bool AllowHttp { get; set; }

    /// <summary>The coordinating office's tenant: its operators create the first administrators of other tenants.</summary>
    public string CoordinatingTenant { get; set; } = "kommune";

    /// <summary>Clients registered at start-up (created or updated).</summary>
    public List<ClientOptions> Clients { get; set; } = [];

    /// <summary>The platform's tenants: users are created in these only (and, in development, seeded for each).</summary>
    public List<string> Tenants { get; set; } = [];

    /// <summary>Development only: the common password of the seed users.</summary>
    public string? SeedPassword { get; set; }
}

/// <summary>
/// A client of the provider. Interactive clients (a web front end, the command line) use the authorization code flow
/// with PKCE; machine clients (a municipality's ReportingService) use client credentials and act as
/// <see cref="Tenant"/> with <see cref="Roles"/>.
/// </summary>
public sealed class ClientOptions
{
    public required string ClientId { get; set; }

    public string? DisplayName { get; set; }

    /// <summary>Confidential clients have a secret; public ones (the command line) do not.</summary>
    public string? Secret { get; set; }

    public List<string> RedirectUris { get; set; } = [];

    public List<string> PostLogoutRedirectUris { get; set; } = [];

    /// <summary>Machine client: may use client credentials.</summary>
    public bool Machine { get; set; }

    public string? Tenant { get; set; }

    public List<string> Roles { get; set; } = [];

    /// <summary>
    /// A municipality's machine client: the municipality's key (AGS), put into its tokens as the claim
    /// <c>municipality</c>; the state API accepts from such a token that municipality's submission only. Required for a
    /// machine client with the role <c>state-reporter</c>: without it the client would speak for no municipality.
    /// </summary>
    public string? Municipality { get; set; }
}

/// <summary>Refuses to start with a client the state API could not bind to one municipality.</summary>
public sealed class ProviderOptionsValidation : IValidateOptions<ProviderOptions>
{
    public ValidateOptionsResult Validate(string? name, ProviderOptions options)
    {
        var failures = options.Clients
            .Where(c => c.Machine && c.Roles.Contains(KimRoles.StateReporter, StringComparer.Ordinal)
                && !(c.Municipality is { Length: 5 } key && key.All(char.IsAsciiDigit)))
            .Select(c => $"Identity:Clients: the machine client '{c.ClientId}' has the role {KimRoles.StateReporter} but no Municipality "
                + "(the AGS key of five digits of the municipality it submits for); a state reporter without one would speak for no municipality.")
            .ToList();
        return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
    }
}
