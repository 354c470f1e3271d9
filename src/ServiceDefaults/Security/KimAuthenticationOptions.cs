namespace Kim.ServiceDefaults.Security;

/// <summary>
/// Bearer authentication, section <c>Authentication</c>. Production sets <see cref="Authority"/> (any OIDC
/// provider: Keycloak, ADFS, Entra, or the platform's own <c>src/Identity</c>); development sets both the authority
/// (<c>src/Identity</c>) and <see cref="DevSigningKey"/>, the local key that the CLI's <c>token</c> command signs with.
/// </summary>
public sealed class KimAuthenticationOptions
{
    public const string SectionName = "Authentication";

    /// <summary>The OIDC authority whose metadata supplies issuer and signing keys.</summary>
    public string? Authority { get; set; }

    /// <summary>
    /// Where to read the authority's metadata when it differs from <c>{Authority}/.well-known/openid-configuration</c>,
    /// e.g. the provider's internal address while tokens name its public issuer.
    /// </summary>
    public string? MetadataAddress { get; set; }

    /// <summary>The claim that carries the tenant, where a directory names it differently (e.g. <c>extension_tenant</c>).</summary>
    public string TenantClaim { get; set; } = KimClaims.Tenant;

    /// <summary>The claim that carries the roles, where a directory names it differently (e.g. <c>roles</c> in Entra ID).</summary>
    public string RoleClaim { get; set; } = KimClaims.Role;

    /// <summary>The audience every token must name.</summary>
    public string Audience { get; set; } = DevTokens.Audience;

    /// <summary>Base64 symmetric key for development tokens. Refused outside Development unless explicitly allowed.</summary>
    public string? DevSigningKey { get; set; }

    /// <summary>Accept <see cref="DevSigningKey"/> outside the Development environment (test hosts only).</summary>
    public bool AllowDevSigningKeyOutsideDevelopment { get; set; }

    /// <summary>Require https metadata for <see cref="Authority"/>.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;
}
