namespace Kim.ServiceDefaults.Security;

/// <summary>
/// Bearer authentication, section <c>Authentication</c>. Production sets <see cref="Authority"/> (any OIDC
/// provider: Keycloak, ADFS, Entra); development and tests set <see cref="DevSigningKey"/>, the local key
/// that AppHost's <c>token</c> command signs with.
/// </summary>
public sealed class KimAuthenticationOptions
{
    public const string SectionName = "Authentication";

    /// <summary>The OIDC authority whose metadata supplies issuer and signing keys.</summary>
    public string? Authority { get; set; }

    /// <summary>The audience every token must name.</summary>
    public string Audience { get; set; } = DevTokens.Audience;

    /// <summary>Base64 symmetric key for development tokens. Refused outside Development unless explicitly allowed.</summary>
    public string? DevSigningKey { get; set; }

    /// <summary>Accept <see cref="DevSigningKey"/> outside the Development environment (test hosts only).</summary>
    public bool AllowDevSigningKeyOutsideDevelopment { get; set; }

    /// <summary>Require https metadata for <see cref="Authority"/>.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;
}
